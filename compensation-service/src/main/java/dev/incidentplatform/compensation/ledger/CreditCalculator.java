package dev.incidentplatform.compensation.ledger;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.IncidentTimeline;
import dev.incidentplatform.compensation.domain.MonthlyDowntime;
import dev.incidentplatform.compensation.domain.Policy;
import dev.incidentplatform.compensation.domain.PolicyKind;
import dev.incidentplatform.compensation.domain.RegionSet;
import dev.incidentplatform.compensation.domain.TimeWindow;
import dev.incidentplatform.compensation.outage.IncidentEvent;
import dev.incidentplatform.compensation.outage.IncidentRepository;
import dev.incidentplatform.compensation.policy.PolicyRepository;
import dev.incidentplatform.compensation.policy.PolicyVersion;

/**
 * Credits an incident's resolution, set-based: contracts that share (service, region set, month, policy) share the
 * decision (downtime over all resolved incidents, uptime, tier), made in Java by the domain for each such group;
 * the decisions go into a work table and one {@code INSERT … SELECT} per (service, month) applies them to every
 * contract in force, computing each contract's amount (or days) and the difference to what it was already issued in
 * SQL ({@code money_credit}, tested against {@link dev.incidentplatform.compensation.domain.CreditRule}). Memory does
 * not grow with the number of contracts.
 *
 * <p>Runs in the caller's transaction, under a per-service advisory lock, so two instances cannot compute the same
 * month's difference from the same "already issued"; the ledger's unique key refuses a second issue anyway.
 */
@ApplicationScoped
public class CreditCalculator {

    private static final Logger LOG = Logger.getLogger(CreditCalculator.class);
    public static final String ACTOR = "compensation-service";

    private final IncidentRepository incidents;
    private final PolicyRepository policies;
    private final ObjectMapper json;
    private final BigDecimal minimumAmount;

    public CreditCalculator(IncidentRepository incidents, PolicyRepository policies, ObjectMapper json,
            @ConfigProperty(name = "compensation.credits.minimum-amount") BigDecimal minimumAmount) {
        this.incidents = incidents;
        this.policies = policies;
        this.json = json;
        this.minimumAmount = minimumAmount;
    }

    /** How many ledger entries (issued or below the minimum) the resolution wrote. */
    public long creditResolution(Connection c, IncidentTimeline incident, IncidentEvent resolution) throws SQLException {
        TreeSet<String> services = incident.services();
        for (String service : services) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('credit:' || ?))")) {
                lock.setString(1, service);
                lock.execute();
            }
        }
        try (Statement ddl = c.createStatement()) {
            ddl.execute("""
                    CREATE TEMP TABLE IF NOT EXISTS decision_work (LIKE credit_decision) ON COMMIT DROP""");
        }
        long written = 0;
        Map<UUID, IncidentTimeline> timelines = new HashMap<>();
        timelines.put(incident.incidentId(), incident);
        for (String service : services) {
            List<TimeWindow> anywhere = incident.downtime(service, RegionSet.global());
            TreeSet<BillingMonth> months = new TreeSet<>();
            anywhere.forEach(window -> months.addAll(BillingMonth.overlapping(window)));
            for (BillingMonth month : months) {
                written += creditMonth(c, incident, resolution, service, month, timelines);
            }
        }
        return written;
    }

    private long creditMonth(Connection c, IncidentTimeline incident, IncidentEvent resolution, String service,
            BillingMonth month, Map<UUID, IncidentTimeline> timelines) throws SQLException {
        List<UUID> ids = incidents.resolvedIncidentsWithDowntime(c, service, month);
        List<UUID> missing = ids.stream().filter(id -> !timelines.containsKey(id)).toList();
        if (!missing.isEmpty()) {
            timelines.putAll(incidents.timelines(c, missing));
        }
        List<IncidentTimeline> resolved = ids.stream().map(timelines::get).toList();
        try (Statement clear = c.createStatement()) {
            clear.execute("DELETE FROM decision_work");
        }
        int decisions = 0;
        Map<String, Optional<PolicyVersion>> policyInForce = new HashMap<>();
        for (Group group : groups(c, service, month)) {
            RegionSet regions = new RegionSet(group.regions());
            if (TimeWindow.clip(incident.downtime(service, regions), month.window()).isEmpty()) {
                continue; // this incident did not touch these contracts in this month
            }
            Optional<PolicyVersion> policy = policyInForce.computeIfAbsent(group.policyId(),
                    id -> policies.inForce(id, month));
            if (policy.isEmpty()) {
                continue; // no version of the policy is in force yet in this month
            }
            MonthlyDowntime downtime = MonthlyDowntime.of(resolved, service, regions, month);
            Optional<Policy.TierMatch> tier = policy.get().policy().tierFor(downtime.uptime());
            if (tier.isEmpty()) {
                continue;
            }
            insertDecision(c, resolution, policy.get().policy(), downtime, tier.get(), resolved);
            decisions++;
        }
        if (decisions == 0) {
            return 0;
        }
        try (Statement move = c.createStatement()) {
            move.execute("INSERT INTO credit_decision SELECT * FROM decision_work");
        }
        try (Statement plan = c.createStatement()) {
            // Right after a big import or a big credit run the statistics are stale and estimate one row; a nested
            // loop over a million contracts would then re-run the "already issued" aggregate per contract. This
            // statement is always a bulk join: hash and merge joins only (the per-row LATERAL is the exception the
            // planner keeps), and room to sort in memory.
            plan.execute("SET LOCAL enable_nestloop = off");
            plan.execute("SET LOCAL work_mem = '64MB'");
        }
        long written;
        try (PreparedStatement credit = c.prepareStatement(CREDIT_CONTRACTS)) {
            int i = 1;
            credit.setString(i++, service);
            credit.setDate(i++, Date.valueOf(month.firstDay()));
            credit.setObject(i++, resolution.incidentId());
            credit.setBigDecimal(i++, minimumAmount);
            credit.setString(i++, ACTOR);
            credit.setString(i++, resolution.correlationId());
            credit.setString(i++, resolution.eventId().toString());
            credit.setString(i++, service);
            credit.setDate(i++, Date.valueOf(month.firstDay()));
            credit.setString(i++, service);
            credit.setDate(i, Date.valueOf(month.firstDay()));
            written = credit.executeLargeUpdate();
        }
        try (PreparedStatement used = c.prepareStatement("""
                UPDATE policy_version p SET used = true FROM (SELECT DISTINCT policy_id, policy_version FROM decision_work) d
                WHERE p.policy_id = d.policy_id AND p.version = d.policy_version AND NOT p.used""")) {
            used.executeUpdate();
        }
        LOG.infof("Incident %s: %d ledger entries for %s in %s (%d decisions)", resolution.incidentId(), written, service,
                month, decisions);
        return written;
    }

    /**
     * One row per contract in force for (service, month) whose group has a decision; the money difference in SQL.
     * Parameters: service, month, incident, minimum, actor, correlation, causation, service, month (issued), service,
     * month (in force).
     */
    private static final String CREDIT_CONTRACTS = """
            INSERT INTO credit (decision_id, contract_id, contract_version, customer_id, service, billing_month, incident_id,
                status, kind, monthly_fee, currency, credit_percent, amount, extension_days, actor, correlation_id, causation_id)
            SELECT d.decision_id, f.contract_id, f.version, f.customer_id, ?, ?, ?,
                   CASE WHEN d.policy_kind = 'money' AND x.amount < ? THEN 'below_minimum' ELSE 'issued' END,
                   CASE WHEN coalesce(i.entries, 0) = 0 THEN 'original' ELSE 'adjustment' END,
                   f.monthly_fee, f.currency,
                   CASE WHEN d.policy_kind = 'money' THEN d.tier_percent - coalesce(i.percent, 0) END,
                   x.amount,
                   CASE WHEN d.policy_kind = 'extension' THEN d.tier_days - coalesce(i.days, 0) END,
                   ?, ?, ?
            FROM (SELECT DISTINCT ON (cv.contract_id) c.contract_id, c.customer_id, cv.version, cv.regions, cv.monthly_fee,
                         cv.currency, cv.currency_digits, cv.policy_id
                  FROM contract c JOIN contract_version cv ON cv.contract_id = c.contract_id
                  WHERE c.service = ? AND cv.effective_from <= ?
                  ORDER BY cv.contract_id, cv.version DESC) f
            JOIN decision_work d ON d.regions = f.regions AND d.policy_id = f.policy_id
            LEFT JOIN (SELECT contract_id, count(*) AS entries, sum(credit_percent) AS percent, sum(amount) AS amount,
                              sum(extension_days) AS days
                       FROM credit WHERE status = 'issued' AND service = ? AND billing_month = ?
                       GROUP BY contract_id) i ON i.contract_id = f.contract_id
            CROSS JOIN LATERAL (SELECT CASE WHEN d.policy_kind = 'money' THEN money_credit(f.monthly_fee, f.currency_digits,
                                    d.tier_percent, coalesce(i.percent, 0), coalesce(i.amount, 0)) END AS amount
                                OFFSET 0) x -- computed once per row, not again in the WHERE
            WHERE (d.policy_kind = 'money' AND x.amount IS NOT NULL)
               OR (d.policy_kind = 'extension' AND d.tier_days > coalesce(i.days, 0))
            ON CONFLICT ON CONSTRAINT credit_once DO NOTHING""";

    private record Group(List<String> regions, String policyId) {
    }

    /** The distinct (region set, policy) of the service's contract versions that may be in force in the month. */
    private static List<Group> groups(Connection c, String service, BillingMonth month) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT DISTINCT cv.regions, cv.policy_id FROM contract c JOIN contract_version cv ON cv.contract_id = c.contract_id
                WHERE c.service = ? AND cv.effective_from <= ?""")) {
            query.setString(1, service);
            query.setDate(2, Date.valueOf(month.firstDay()));
            List<Group> groups = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    groups.add(new Group(Arrays.asList((String[]) rows.getArray(1).getArray()), rows.getString(2)));
                }
            }
            return groups;
        }
    }

    private void insertDecision(Connection c, IncidentEvent resolution, Policy policy, MonthlyDowntime downtime,
            Policy.TierMatch tier, List<IncidentTimeline> resolved) throws SQLException {
        Map<String, Object> windows = new LinkedHashMap<>();
        windows.put("union", downtime.windows().stream().map(w -> Map.of("start", w.start().toString(), "end", w.end().toString())).toList());
        Map<String, Object> byIncident = new LinkedHashMap<>();
        for (IncidentTimeline timeline : resolved) {
            List<TimeWindow> own = TimeWindow.clip(timeline.downtime(downtime.service(), downtime.regions()), downtime.month().window());
            if (!own.isEmpty()) {
                byIncident.put(timeline.incidentId().toString(),
                        own.stream().map(w -> Map.of("start", w.start().toString(), "end", w.end().toString())).toList());
            }
        }
        windows.put("byIncident", byIncident);
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO decision_work (decision_id, resolution_event_id, incident_id, service, regions, billing_month,
                    policy_id, policy_version, policy_kind, incident_ids, windows, downtime_seconds, month_seconds,
                    uptime_percent, tier_index, tier_below_percent, tier_percent, tier_days, triggered_by, decided_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?, now())""")) {
            int i = 1;
            insert.setObject(i++, UUID.randomUUID());
            insert.setObject(i++, resolution.eventId());
            insert.setObject(i++, resolution.incidentId());
            insert.setString(i++, downtime.service());
            insert.setArray(i++, c.createArrayOf("text", downtime.regions().regions().toArray()));
            insert.setDate(i++, Date.valueOf(downtime.month().firstDay()));
            insert.setString(i++, policy.id());
            insert.setInt(i++, policy.version());
            insert.setString(i++, policy.kind().wire());
            insert.setArray(i++, c.createArrayOf("uuid", downtime.incidentIds().toArray()));
            insert.setString(i++, json.writeValueAsString(windows));
            insert.setBigDecimal(i++, downtime.uptime().downtimeSeconds());
            insert.setLong(i++, downtime.uptime().monthSeconds());
            insert.setBigDecimal(i++, downtime.uptime().percent());
            insert.setInt(i++, tier.index());
            insert.setBigDecimal(i++, tier.tier().belowUptimePercent());
            insert.setBigDecimal(i++, policy.kind() == PolicyKind.MONEY ? tier.tier().creditPercent() : null);
            if (policy.kind() == PolicyKind.EXTENSION) {
                insert.setInt(i++, tier.tier().extensionDays());
            } else {
                insert.setNull(i++, java.sql.Types.INTEGER);
            }
            insert.setString(i, resolution.actor());
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

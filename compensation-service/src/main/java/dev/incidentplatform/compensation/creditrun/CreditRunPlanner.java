package dev.incidentplatform.compensation.creditrun;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

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
import dev.incidentplatform.compensation.policy.PolicyRepository;
import dev.incidentplatform.compensation.policy.PolicyVersion;
import dev.incidentplatform.platform.tracing.Traceparents;

/**
 * Plans the credits of an incident's resolution, in the caller's (the incident-events consumer's) transaction: for
 * each (service, month) the incident touched, the decision of every (region set, policy) of the contracts in force
 * (downtime over all resolved incidents, uptime, tier, made by the domain) and one {@code credit_run} that
 * {@link CreditRunWorker} then applies to the contracts chunk by chunk. Nothing here grows with the number of
 * contracts: the transaction stays short however many there are.
 *
 * <p>A per-service advisory lock serialises the planning of two resolutions of one service, so that the later one
 * sees the earlier one's outage windows and its run is ordered after the earlier run.
 */
@ApplicationScoped
public class CreditRunPlanner {

    private static final Logger LOG = Logger.getLogger(CreditRunPlanner.class);

    private final PolicyRepository policies;
    private final ObjectMapper json;

    public CreditRunPlanner(PolicyRepository policies, ObjectMapper json) {
        this.policies = policies;
        this.json = json;
    }

    /** How many credit runs the resolution planned (one per service and month with at least one decision). */
    public int plan(Connection c, IncidentTimeline incident, Resolution resolution, ResolvedIncidents resolvedIncidents)
            throws SQLException {
        TreeSet<String> services = incident.services();
        for (String service : services) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('credit:' || ?))")) {
                lock.setString(1, service);
                lock.execute();
            }
        }
        int runs = 0;
        for (String service : services) {
            TreeSet<BillingMonth> months = new TreeSet<>();
            incident.downtime(service, RegionSet.global()).forEach(window -> months.addAll(BillingMonth.overlapping(window)));
            for (BillingMonth month : months) {
                if (planMonth(c, incident, resolution, service, month, resolvedIncidents.withDowntime(service, month))) {
                    runs++;
                }
            }
        }
        return runs;
    }

    private boolean planMonth(Connection c, IncidentTimeline incident, Resolution resolution, String service,
            BillingMonth month, Collection<IncidentTimeline> resolved) throws SQLException {
        int decisions = 0;
        Map<String, Optional<PolicyVersion>> policyInForce = new HashMap<>();
        for (Group group : groups(c, service, month)) {
            RegionSet regions = new RegionSet(group.regions());
            if (TimeWindow.clip(incident.downtime(service, regions), month.window()).isEmpty()) {
                continue; // this incident did not touch these contracts in this month
            }
            Optional<PolicyVersion> policy = policyInForce.computeIfAbsent(group.policyId(), id -> policies.inForce(id, month));
            if (policy.isEmpty()) {
                continue; // no version of the policy is in force yet in this month
            }
            MonthlyDowntime downtime = MonthlyDowntime.of(resolved, service, regions, month);
            Optional<Policy.TierMatch> tier = policy.get().policy().tierFor(downtime.uptime());
            if (tier.isEmpty()) {
                continue;
            }
            insertDecision(c, resolution, policy.get().policy(), downtime, tier.get(), resolved);
            markUsed(c, policy.get().policy());
            decisions++;
        }
        if (decisions == 0) {
            return false;
        }
        try (PreparedStatement run = c.prepareStatement("""
                INSERT INTO credit_run (resolution_event_id, incident_id, service, billing_month, correlation_id,
                    traceparent)
                VALUES (?, ?, ?, ?, ?, ?)""")) {
            run.setObject(1, resolution.eventId());
            run.setObject(2, resolution.incidentId());
            run.setString(3, service);
            run.setDate(4, Date.valueOf(month.firstDay()));
            run.setString(5, resolution.correlationId());
            // The worker applies the run later: its chunks continue the trace of the event that planned it.
            run.setString(6, Traceparents.current().orElse(null));
            run.executeUpdate();
        }
        LOG.infof("Incident %s: credit run planned for %s in %s (%d decisions)", resolution.incidentId(), service, month,
                decisions);
        return true;
    }

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
                    groups.add(new Group(Arrays.asList((String[]) rows.getArray("regions").getArray()),
                            rows.getString("policy_id")));
                }
            }
            return groups;
        }
    }

    private static void markUsed(Connection c, Policy policy) throws SQLException {
        try (PreparedStatement used = c.prepareStatement(
                "UPDATE policy_version SET used = true WHERE policy_id = ? AND version = ? AND NOT used")) {
            used.setString(1, policy.id());
            used.setInt(2, policy.version());
            used.executeUpdate();
        }
    }

    private void insertDecision(Connection c, Resolution resolution, Policy policy, MonthlyDowntime downtime,
            Policy.TierMatch tier, Collection<IncidentTimeline> resolved) throws SQLException {
        Map<String, Object> windows = new LinkedHashMap<>();
        windows.put("union", downtime.windows().stream().map(CreditRunPlanner::window).toList());
        Map<String, Object> byIncident = new LinkedHashMap<>();
        for (IncidentTimeline timeline : resolved) {
            List<TimeWindow> own = TimeWindow.clip(timeline.downtime(downtime.service(), downtime.regions()), downtime.month().window());
            if (!own.isEmpty()) {
                byIncident.put(timeline.incidentId().toString(), own.stream().map(CreditRunPlanner::window).toList());
            }
        }
        windows.put("byIncident", byIncident);
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO credit_decision (decision_id, resolution_event_id, incident_id, service, regions, billing_month,
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
                insert.setNull(i++, Types.INTEGER);
            }
            insert.setString(i, resolution.actor());
            insert.executeUpdate();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Map<String, String> window(TimeWindow window) {
        return Map.of("start", window.start().toString(), "end", window.end().toString());
    }
}

package dev.incidentplatform.compensation.policy;

import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.Policy;
import dev.incidentplatform.compensation.domain.PolicyKind;
import dev.incidentplatform.compensation.domain.Tier;

/** policy_version rows; callers bring the transaction. */
@ApplicationScoped
public class PolicyRepository {

    private static final String COLUMNS = "policy_id, version, kind, tiers::text AS tiers, effective_from, recorded_at, recorded_by, used";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public PolicyRepository(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public List<PolicyVersion> all() {
        return query("SELECT " + COLUMNS + " FROM policy_version ORDER BY policy_id, version", null, null);
    }

    public List<PolicyVersion> versions(String policyId) {
        return query("SELECT " + COLUMNS + " FROM policy_version WHERE policy_id = ? ORDER BY version", policyId, null);
    }

    /** The version in force for a month: the highest version whose effective_from is not after the month. */
    public Optional<PolicyVersion> inForce(String policyId, BillingMonth month) {
        return query("SELECT " + COLUMNS + " FROM policy_version WHERE policy_id = ? AND effective_from <= ?"
                + " ORDER BY version DESC LIMIT 1", policyId, month).stream().findFirst();
    }

    /** The latest billing month a credit decision used any version of this policy for. */
    public Optional<BillingMonth> lastUsedMonth(String policyId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT max(billing_month) FROM credit_decision WHERE policy_id = ?")) {
            s.setString(1, policyId);
            try (ResultSet rows = s.executeQuery()) {
                rows.next();
                Date month = rows.getDate(1);
                return month == null ? Optional.empty() : Optional.of(BillingMonth.ofFirstDay(month.toLocalDate()));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<String> ids() {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("SELECT DISTINCT policy_id FROM policy_version ORDER BY 1");
                ResultSet rows = s.executeQuery()) {
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Appends the next version of a policy (serialised per policy id so two writers cannot take the same number). */
    public PolicyVersion append(String policyId, PolicyKind kind, List<Tier> tiers, BillingMonth effectiveFrom, String actor) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('policy:' || ?))")) {
                lock.setString(1, policyId);
                lock.execute();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO policy_version (policy_id, version, kind, tiers, effective_from, recorded_by)
                    SELECT ?, coalesce(max(version), 0) + 1, ?, ?::jsonb, ?, ? FROM policy_version WHERE policy_id = ?
                    RETURNING version""")) {
                insert.setString(1, policyId);
                insert.setString(2, kind.wire());
                insert.setString(3, json.writeValueAsString(tiers.stream().map(PolicyRepository::tierJson).toList()));
                insert.setDate(4, Date.valueOf(effectiveFrom.firstDay()));
                insert.setString(5, actor);
                insert.setString(6, policyId);
                try (ResultSet rows = insert.executeQuery()) {
                    rows.next();
                    int version = rows.getInt(1);
                    return versions(policyId).stream().filter(v -> v.policy().version() == version).findFirst().orElseThrow();
                }
            }
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not store policy " + policyId, e);
        }
    }

    /** Marks versions as used by a credit: from then on a trigger refuses any change to them. */
    public void markUsed(Connection c, String policyId, int version) throws SQLException {
        try (PreparedStatement update = c.prepareStatement(
                "UPDATE policy_version SET used = true WHERE policy_id = ? AND version = ? AND NOT used")) {
            update.setString(1, policyId);
            update.setInt(2, version);
            update.executeUpdate();
        }
    }

    private static TierJson tierJson(Tier tier) {
        return new TierJson(tier.belowUptimePercent(), tier.creditPercent(), tier.extensionDays());
    }

    /** How a tier is stored and shown. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record TierJson(java.math.BigDecimal belowUptimePercent, java.math.BigDecimal creditPercent, Integer extensionDays) {
        Tier tier() {
            return new Tier(belowUptimePercent, creditPercent, extensionDays);
        }
    }

    private List<PolicyVersion> query(String sql, String policyId, BillingMonth month) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            if (policyId != null) {
                s.setString(1, policyId);
            }
            if (month != null) {
                s.setDate(2, Date.valueOf(month.firstDay()));
            }
            List<PolicyVersion> versions = new ArrayList<>();
            try (ResultSet rows = s.executeQuery()) {
                while (rows.next()) {
                    List<TierJson> tiers = json.readValue(rows.getString("tiers"), new TypeReference<List<TierJson>>() {
                    });
                    Policy policy = new Policy(rows.getString("policy_id"), rows.getInt("version"),
                            PolicyKind.fromWire(rows.getString("kind")), tiers.stream().map(TierJson::tier).toList());
                    versions.add(new PolicyVersion(policy, rows.getDate("effective_from").toLocalDate(),
                            rows.getTimestamp("recorded_at").toInstant(), rows.getString("recorded_by"),
                            rows.getBoolean("used")));
                }
            }
            return versions;
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException("Could not read policies", e);
        }
    }
}

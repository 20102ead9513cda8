package dev.incidentplatform.compensation.contract;

import java.sql.Array;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.compensation.domain.Money;
import dev.incidentplatform.platform.paging.Paging;

/** contract and contract_version rows; callers bring the transaction. Nothing is ever updated. */
@ApplicationScoped
public class ContractRepository {

    private final DataSource dataSource;

    public ContractRepository(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record VersionRow(int version, List<String> regions, String amount, String currency, String policyId,
            String effectiveFrom, Instant recordedAt, String recordedBy) {
    }

    public record ContractRow(UUID contractId, String customerId, String service, Instant createdAt, String createdBy,
            List<VersionRow> versions) {
    }

    public UUID create(String customerId, String service, ContractTerms terms, String actor) {
        UUID id = UUID.randomUUID();
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO contract (contract_id, customer_id, service, created_by) VALUES (?, ?, ?, ?)")) {
                insert.setObject(1, id);
                insert.setString(2, customerId);
                insert.setString(3, service);
                insert.setString(4, actor);
                insert.executeUpdate();
            }
            insertVersion(c, id, 1, terms, actor);
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store the contract", e);
        }
    }

    /** The next version (serialised per contract, so two writers cannot take the same number). */
    public int appendVersion(UUID contractId, ContractTerms terms, String actor) {
        try (Connection c = dataSource.getConnection()) {
            try (PreparedStatement lock = c.prepareStatement("SELECT pg_advisory_xact_lock(hashtext('contract:' || ?))")) {
                lock.setString(1, contractId.toString());
                lock.execute();
            }
            int next;
            try (PreparedStatement max = c.prepareStatement("SELECT max(version) FROM contract_version WHERE contract_id = ?")) {
                max.setObject(1, contractId);
                try (ResultSet rows = max.executeQuery()) {
                    rows.next();
                    next = rows.getInt(1) + 1;
                }
            }
            insertVersion(c, contractId, next, terms, actor);
            return next;
        } catch (SQLException e) {
            throw new IllegalStateException("Could not store the contract version", e);
        }
    }

    private static void insertVersion(Connection c, UUID id, int version, ContractTerms terms, String actor) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO contract_version (contract_id, version, regions, monthly_fee, currency, currency_digits,
                    policy_id, effective_from, recorded_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            insert.setObject(1, id);
            insert.setInt(2, version);
            insert.setArray(3, c.createArrayOf("text", terms.regions().regions().toArray()));
            insert.setBigDecimal(4, terms.monthlyFee());
            insert.setString(5, terms.currency().getCurrencyCode());
            insert.setInt(6, terms.currency().getDefaultFractionDigits());
            insert.setString(7, terms.policyId());
            insert.setDate(8, Date.valueOf(terms.effectiveFrom().firstDay()));
            insert.setString(9, actor);
            insert.executeUpdate();
        }
    }

    public Optional<ContractRow> find(UUID contractId) {
        return list("c.contract_id = ?", List.of(contractId), 1, 0).stream().findFirst();
    }

    public Paging.Page<ContractRow> list(String customerId, String service, Paging paging) {
        List<String> where = new ArrayList<>();
        List<Object> parameters = new ArrayList<>();
        if (customerId != null) {
            where.add("c.customer_id = ?");
            parameters.add(customerId);
        }
        if (service != null) {
            where.add("c.service = ?");
            parameters.add(service);
        }
        String condition = where.isEmpty() ? "true" : String.join(" AND ", where);
        long total;
        try (Connection c = dataSource.getConnection();
                PreparedStatement count = c.prepareStatement("SELECT count(*) FROM contract c WHERE " + condition)) {
            for (int i = 0; i < parameters.size(); i++) {
                count.setObject(i + 1, parameters.get(i));
            }
            try (ResultSet rows = count.executeQuery()) {
                rows.next();
                total = rows.getLong(1);
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return paging.page(list(condition, parameters, paging.size(), paging.offset()), total);
    }

    private List<ContractRow> list(String condition, List<Object> parameters, int limit, long offset) {
        String sql = """
                WITH page AS (SELECT * FROM contract c WHERE %s ORDER BY c.customer_id, c.contract_id LIMIT ? OFFSET ?)
                SELECT p.contract_id, p.customer_id, p.service, p.created_at, p.created_by, v.version, v.regions,
                       v.monthly_fee, v.currency, v.currency_digits, v.policy_id, v.effective_from, v.recorded_at, v.recorded_by
                FROM page p JOIN contract_version v ON v.contract_id = p.contract_id
                ORDER BY p.customer_id, p.contract_id, v.version""".formatted(condition);
        List<ContractRow> contracts = new ArrayList<>();
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            int i = 1;
            for (Object parameter : parameters) {
                query.setObject(i++, parameter);
            }
            query.setInt(i++, limit);
            query.setLong(i, offset);
            try (ResultSet rows = query.executeQuery()) {
                ContractRow current = null;
                while (rows.next()) {
                    UUID id = rows.getObject("contract_id", UUID.class);
                    if (current == null || !current.contractId().equals(id)) {
                        current = new ContractRow(id, rows.getString("customer_id"), rows.getString("service"),
                                rows.getTimestamp("created_at").toInstant(), rows.getString("created_by"), new ArrayList<>());
                        contracts.add(current);
                    }
                    Array regions = rows.getArray("regions");
                    current.versions().add(new VersionRow(rows.getInt("version"), Arrays.asList((String[]) regions.getArray()),
                            Money.format(rows.getBigDecimal("monthly_fee"), rows.getInt("currency_digits")),
                            rows.getString("currency"), rows.getString("policy_id"),
                            rows.getDate("effective_from").toLocalDate().toString().substring(0, 7),
                            rows.getTimestamp("recorded_at").toInstant(), rows.getString("recorded_by")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return contracts;
    }

    /** The latest billing month the ledger has an entry for this contract in (computed with the version then in force). */
    public Optional<java.time.LocalDate> lastCreditedMonth(UUID contractId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT max(billing_month) FROM credit WHERE contract_id = ?")) {
            query.setObject(1, contractId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                Date month = rows.getDate(1);
                return month == null ? Optional.empty() : Optional.of(month.toLocalDate());
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Optional<String> currencyOf(UUID contractId) {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT currency FROM contract_version WHERE contract_id = ? ORDER BY version LIMIT 1")) {
            query.setObject(1, contractId);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next() ? Optional.of(rows.getString(1)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.incidentplatform.compensation.ledger;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Currency;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.compensation.domain.Money;
import dev.incidentplatform.platform.paging.Paging;

/** Read side of the ledger for billing audit: lists, one credit with its explanation, summary, CSV export. */
@ApplicationScoped
public class CreditQueries {

    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    static final String COLUMNS = """
            cr.credit_id, cr.customer_id, cr.contract_id, cr.contract_version, cr.service,
            to_char(cr.billing_month, 'YYYY-MM') AS billing_month, cr.incident_id, d.incident_ids::text[] AS incident_ids,
            cr.kind, cr.status, cr.credit_percent, cr.amount, cr.currency,
            cr.extension_days, d.downtime_seconds, d.uptime_percent, d.policy_id, d.policy_version, cr.issued_at, cr.actor
            """;

    public static final List<String> EXPORT_HEADER = List.of("creditId", "customerId", "contractId", "contractVersion",
            "service", "billingMonth", "incidentId", "incidentIds", "kind", "status", "creditPercent", "amount", "currency",
            "extensionDays", "downtimeMinutes", "monthlyUptimePercent", "policyId", "policyVersion", "issuedAt");

    private final DataSource dataSource;
    private final ObjectMapper json;

    public CreditQueries(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    public record MoneyView(String amount, String currency) {
    }

    /** Absent fields are left out (extensionDays of a money credit, amount of an extension): never null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record CreditView(UUID creditId, String customerId, UUID contractId, int contractVersion, String service,
            String billingMonth, UUID incidentId, List<UUID> incidentIds, String kind, String status, BigDecimal creditPercent,
            MoneyView amount, Integer extensionDays, BigDecimal downtimeMinutes, BigDecimal monthlyUptimePercent,
            String policyId, int policyVersion, Instant issuedAt, String actor) {
    }

    /** A row of {@link #COLUMNS}, read by column name. */
    private static CreditView view(ResultSet rows) throws SQLException {
        BigDecimal amount = rows.getBigDecimal("amount");
        String currency = rows.getString("currency");
        BigDecimal percent = rows.getBigDecimal("credit_percent");
        return new CreditView(rows.getObject("credit_id", UUID.class), rows.getString("customer_id"),
                rows.getObject("contract_id", UUID.class), rows.getInt("contract_version"), rows.getString("service"),
                rows.getString("billing_month"), rows.getObject("incident_id", UUID.class),
                Arrays.stream((String[]) rows.getArray("incident_ids").getArray()).map(UUID::fromString).toList(),
                rows.getString("kind"), rows.getString("status"), percent == null ? null : percent.stripTrailingZeros(),
                amount == null ? null : new MoneyView(format(amount, currency), currency),
                rows.getObject("extension_days", Integer.class),
                rows.getBigDecimal("downtime_seconds").divide(SIXTY, 4, RoundingMode.HALF_EVEN).stripTrailingZeros(),
                rows.getBigDecimal("uptime_percent").stripTrailingZeros(), rows.getString("policy_id"),
                rows.getInt("policy_version"), rows.getTimestamp("issued_at").toInstant(), rows.getString("actor"));
    }

    static String format(BigDecimal amount, String currency) {
        return Money.format(amount, Currency.getInstance(currency).getDefaultFractionDigits());
    }

    public Paging.Page<CreditView> list(CreditFilter filter, Paging paging) {
        List<Object> parameters = new ArrayList<>();
        String where = filter.where(parameters);
        try (Connection c = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = prepare(c, "SELECT count(*) FROM credit cr WHERE " + where, parameters)) {
                try (ResultSet rows = count.executeQuery()) {
                    rows.next();
                    total = rows.getLong(1);
                }
            }
            List<Object> pageParameters = new ArrayList<>(parameters);
            pageParameters.add(paging.size());
            pageParameters.add(paging.offset());
            List<CreditView> items = new ArrayList<>();
            try (PreparedStatement query = prepare(c, "SELECT " + COLUMNS
                    + " FROM credit cr JOIN credit_decision d ON d.decision_id = cr.decision_id WHERE " + where
                    + " ORDER BY cr.position LIMIT ? OFFSET ?", pageParameters);
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    items.add(view(rows));
                }
            }
            return paging.page(items, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Explained(CreditView credit, Map<String, Object> explanation) {
    }

    public Optional<Explained> get(UUID creditId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = prepare(c, "SELECT " + COLUMNS + """
                        , d.decision_id, d.resolution_event_id, d.regions, d.windows::text AS windows, d.month_seconds, d.tier_index,
                          d.tier_below_percent, d.tier_percent, d.tier_days, d.triggered_by, d.decided_at, cr.monthly_fee,
                          d.policy_kind, cr.correlation_id, cr.causation_id
                        FROM credit cr JOIN credit_decision d ON d.decision_id = cr.decision_id WHERE cr.credit_id = ?""",
                        List.of(creditId));
                ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            CreditView credit = view(rows);
            BigDecimal downtimeSeconds = rows.getBigDecimal("downtime_seconds");
            long monthSeconds = rows.getLong("month_seconds");
            Map<String, Object> tier = new LinkedHashMap<>();
            tier.put("index", rows.getInt("tier_index"));
            tier.put("belowUptimePercent", rows.getBigDecimal("tier_below_percent").stripTrailingZeros());
            BigDecimal tierPercent = rows.getBigDecimal("tier_percent");
            if (tierPercent != null) {
                tier.put("creditPercent", tierPercent.stripTrailingZeros());
            }
            Object tierDays = rows.getObject("tier_days");
            if (tierDays != null) {
                tier.put("extensionDays", tierDays);
            }
            Map<String, Object> explanation = new LinkedHashMap<>();
            explanation.put("decisionId", rows.getObject("decision_id", UUID.class));
            explanation.put("resolutionEventId", rows.getObject("resolution_event_id", UUID.class));
            explanation.put("regions", Arrays.asList((String[]) rows.getArray("regions").getArray()));
            explanation.put("windows", json.readValue(rows.getString("windows"), JsonNode.class));
            explanation.put("incidentIds", credit.incidentIds());
            explanation.put("downtimeSeconds", downtimeSeconds.stripTrailingZeros());
            explanation.put("downtimeMinutes", credit.downtimeMinutes());
            explanation.put("monthSeconds", monthSeconds);
            explanation.put("monthMinutes", monthSeconds / 60);
            explanation.put("monthlyUptimePercent", credit.monthlyUptimePercent());
            explanation.put("uptimeFormula", "(monthSeconds - downtimeSeconds) / monthSeconds * 100, truncated to 4 decimals");
            explanation.put("policy", Map.of("policyId", credit.policyId(), "version", credit.policyVersion(), "kind",
                    rows.getString("policy_kind")));
            explanation.put("tier", tier);
            String currency = rows.getString("currency");
            explanation.put("monthlyFee", new MoneyView(format(rows.getBigDecimal("monthly_fee"), currency), currency));
            explanation.put("contract", Map.of("contractId", credit.contractId(), "version", credit.contractVersion()));
            explanation.put("percentThisEntryAdds", credit.creditPercent());
            explanation.put("rule", "amount = fee × tier percent / 100, half-even to the currency's minor unit, capped at the "
                    + "fee, minus what was already issued for this contract and month");
            explanation.put("triggeredBy", rows.getString("triggered_by"));
            explanation.put("decidedAt", rows.getTimestamp("decided_at").toInstant());
            explanation.put("correlationId", rows.getString("correlation_id"));
            explanation.put("causationId", rows.getString("causation_id"));
            explanation.put("actor", credit.actor());
            return Optional.of(new Explained(credit, explanation));
        } catch (SQLException | JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public record Total(String currency, String amount, long count) {
    }

    /** Absent fields are left out (extensionDays of a money credit, amount of an extension): never null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ServiceTotal(String service, String currency, String amount, long extensionDays, long count) {
    }

    /** Absent fields are left out (extensionDays of a money credit, amount of an extension): never null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IncidentTotal(UUID incidentId, String currency, String amount, long extensionDays, long count) {
    }

    /** Absent fields are left out (extensionDays of a money credit, amount of an extension): never null. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Summary(String month, UUID incidentId, long issued, long belowMinimum, long extensionDays,
            List<Total> totals, List<ServiceTotal> byService, List<IncidentTotal> byIncident) {
    }

    /** Totals of issued entries (money per currency, never added across currencies) and counts. */
    public Summary summary(CreditFilter filter) {
        List<Object> parameters = new ArrayList<>();
        String where = filter.where(parameters);
        try (Connection c = dataSource.getConnection()) {
            long issued = 0;
            long below = 0;
            long days = 0;
            try (PreparedStatement query = prepare(c, "SELECT count(*) FILTER (WHERE status = 'issued') AS issued, "
                    + "count(*) FILTER (WHERE status = 'below_minimum') AS below_minimum, "
                    + "coalesce(sum(extension_days) FILTER (WHERE status = 'issued'), 0) AS extension_days "
                    + "FROM credit cr WHERE " + where, parameters); ResultSet rows = query.executeQuery()) {
                rows.next();
                issued = rows.getLong("issued");
                below = rows.getLong("below_minimum");
                days = rows.getLong("extension_days");
            }
            List<Total> totals = new ArrayList<>();
            try (PreparedStatement query = prepare(c, "SELECT currency, sum(amount) AS amount, count(*) AS entries FROM credit cr WHERE " + where
                    + " AND status = 'issued' AND amount IS NOT NULL GROUP BY currency ORDER BY currency", parameters);
                    ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    String currency = rows.getString("currency");
                    totals.add(new Total(currency, format(rows.getBigDecimal("amount"), currency), rows.getLong("entries")));
                }
            }
            List<ServiceTotal> byService = new ArrayList<>();
            try (PreparedStatement query = prepare(c, "SELECT service, " + TOTALS + " FROM credit cr WHERE " + where
                    + " AND status = 'issued' GROUP BY service, currency "
                    + "ORDER BY service, currency", parameters); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byService.add(new ServiceTotal(rows.getString("service"), rows.getString("currency"), totalAmount(rows),
                            rows.getLong("extension_days"), rows.getLong("entries")));
                }
            }
            List<IncidentTotal> byIncident = new ArrayList<>();
            try (PreparedStatement query = prepare(c, "SELECT incident_id, " + TOTALS + " FROM credit cr WHERE " + where
                    + " AND status = 'issued' GROUP BY incident_id, currency "
                    + "ORDER BY incident_id, currency", parameters); ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    byIncident.add(new IncidentTotal(rows.getObject("incident_id", UUID.class), rows.getString("currency"),
                            totalAmount(rows), rows.getLong("extension_days"), rows.getLong("entries")));
                }
            }
            return new Summary(filter.month() == null ? null : filter.month().toString(), filter.incidentId(), issued, below,
                    days, totals, byService, byIncident);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The totals of one group of issued entries, read by {@link #totalAmount}. */
    private static final String TOTALS = "currency, sum(amount) AS amount, coalesce(sum(extension_days), 0) AS extension_days, "
            + "count(*) AS entries";

    private static String totalAmount(ResultSet rows) throws SQLException {
        BigDecimal amount = rows.getBigDecimal("amount");
        return amount == null ? null : format(amount, rows.getString("currency"));
    }

    /** Writes the matching entries as RFC 4180 CSV, row by row from a database cursor (bounded memory). */
    public void export(CreditFilter filter, OutputStream out) {
        List<Object> parameters = new ArrayList<>();
        String where = filter.where(parameters);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false); // a cursor: rows are fetched in chunks, not all at once
            try (PreparedStatement query = prepare(c, "SELECT " + COLUMNS
                    + " FROM credit cr JOIN credit_decision d ON d.decision_id = cr.decision_id WHERE " + where
                    + " ORDER BY cr.position", parameters)) {
                query.setFetchSize(1000);
                Writer writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
                // Every cell quoted and neutralised (SpreadsheetCells): the export is opened in spreadsheets.
                CSVPrinter csv = new CSVPrinter(writer, CSVFormat.RFC4180.builder().setQuoteMode(QuoteMode.ALL)
                        .setHeader(EXPORT_HEADER.toArray(String[]::new)).get());
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        CreditView v = view(rows);
                        csv.printRecord(Stream.of(v.creditId(), v.customerId(), v.contractId(), v.contractVersion(),
                                v.service(), v.billingMonth(), v.incidentId(),
                                String.join(";", v.incidentIds().stream().map(UUID::toString).toList()), v.kind(), v.status(),
                                v.creditPercent() == null ? null : v.creditPercent().toPlainString(),
                                v.amount() == null ? null : v.amount().amount(), v.amount() == null ? null : v.amount().currency(),
                                v.extensionDays(), v.downtimeMinutes().toPlainString(), v.monthlyUptimePercent().toPlainString(),
                                v.policyId(), v.policyVersion(), v.issuedAt()).map(SpreadsheetCells::neutralise));
                    }
                }
                csv.flush();
            } finally {
                c.rollback();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static PreparedStatement prepare(Connection c, String sql, List<Object> parameters) throws SQLException {
        PreparedStatement statement = c.prepareStatement(sql);
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
        return statement;
    }
}

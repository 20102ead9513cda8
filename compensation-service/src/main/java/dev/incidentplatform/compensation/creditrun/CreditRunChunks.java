package dev.incidentplatform.compensation.creditrun;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.incidentplatform.compensation.domain.CreditRule;
import dev.incidentplatform.compensation.domain.CreditRule.AlreadyIssued;
import dev.incidentplatform.compensation.domain.PolicyKind;
import dev.incidentplatform.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;

/**
 * One chunk of a credit run, in one short transaction: the next {@code chunk-size} contracts of the run's service
 * (in contract id order, after the run's {@code done_through}), each with the version in force in the month and what
 * it was already issued for the month; the domain's {@link CreditRule} decides each contract's entry; the entries
 * are inserted with one statement, and the run's progress moves in the same transaction.
 *
 * <p>Exactly once: the chunk and its progress commit together, and the ledger's {@code credit_once} key with
 * {@code ON CONFLICT DO NOTHING} refuses a second entry even if a chunk were applied twice. One worker per run:
 * the run row is locked ({@code FOR UPDATE SKIP LOCKED}) for the chunk's transaction only, so another instance takes
 * another run meanwhile, or this one's next chunk after the commit. Runs of one (service, month) go strictly in the
 * order they were planned: each computes its difference from what the earlier ones issued.
 *
 * <p>Each chunk is the span {@value #SPAN}, continuing the trace the run was planned in.
 */
@ApplicationScoped
public class CreditRunChunks {

    private static final Logger LOG = Logger.getLogger(CreditRunChunks.class);
    /** The actor of every ledger entry: the service computes them, the resolution's actor only triggered them. */
    public static final String ACTOR = "compensation-service";
    /** Below every contract id (ids are random or time-ordered UUIDs, never the nil UUID). */
    private static final UUID BEFORE_ALL = new UUID(0, 0);

    public static final String SPAN = "credit-run chunk";

    private final DataSource dataSource;
    private final int chunkSize;
    private final BigDecimal minimumAmount;
    private final Tracing tracing;

    public CreditRunChunks(DataSource dataSource,
            @ConfigProperty(name = "compensation.credits.chunk-size", defaultValue = "5000") int chunkSize,
            @ConfigProperty(name = "compensation.credits.minimum-amount") BigDecimal minimumAmount, Tracing tracing) {
        if (chunkSize < 1) {
            throw new IllegalArgumentException("compensation.credits.chunk-size must be at least 1");
        }
        this.dataSource = dataSource;
        this.chunkSize = chunkSize;
        this.minimumAmount = minimumAmount;
        this.tracing = tracing;
    }

    /** What one chunk did; {@code finished} when it was the run's last. */
    public record Chunk(long runId, UUID incidentId, String service, String month, int contracts, int entries,
            boolean finished, int chunksSoFar, long entriesSoFar) {
    }

    /** Applies the next chunk of the oldest run that may go on; empty when no run is pending (or all are taken). */
    public Optional<Chunk> applyNext() throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Optional<Chunk> chunk = applyNext(c);
                c.commit();
                return chunk;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private record Run(long runId, UUID resolutionEventId, UUID incidentId, String service, Date month,
            String correlationId, UUID doneThrough, int chunks, long entries, String traceparent) {
    }

    private record GroupKey(List<String> regions, String policyId) {
    }

    private record Decision(UUID decisionId, PolicyKind kind, BigDecimal tierPercent, int tierDays) {
    }

    /** The columns of the ledger one chunk writes per contract (the rest is the run's). */
    private static final class Entries {
        final List<UUID> decisionIds = new ArrayList<>();
        final List<UUID> contractIds = new ArrayList<>();
        final List<Integer> contractVersions = new ArrayList<>();
        final List<String> customerIds = new ArrayList<>();
        final List<String> statuses = new ArrayList<>();
        final List<String> kinds = new ArrayList<>();
        final List<BigDecimal> fees = new ArrayList<>();
        final List<String> currencies = new ArrayList<>();
        final List<BigDecimal> percents = new ArrayList<>();
        final List<BigDecimal> amounts = new ArrayList<>();
        final List<Integer> days = new ArrayList<>();

        void add(UUID decisionId, ResultSet contract, String status, CreditRule.Kind kind, BigDecimal percent,
                BigDecimal amount, Integer extensionDays) throws SQLException {
            decisionIds.add(decisionId);
            contractIds.add(contract.getObject("contract_id", UUID.class));
            contractVersions.add(contract.getInt("version"));
            customerIds.add(contract.getString("customer_id"));
            statuses.add(status);
            kinds.add(kind == CreditRule.Kind.ORIGINAL ? "original" : "adjustment");
            fees.add(contract.getBigDecimal("monthly_fee"));
            currencies.add(contract.getString("currency"));
            percents.add(percent);
            amounts.add(amount);
            days.add(extensionDays);
        }

        int size() {
            return contractIds.size();
        }
    }

    private Optional<Chunk> applyNext(Connection c) throws SQLException {
        Optional<Run> claimed = claim(c);
        if (claimed.isEmpty()) {
            return Optional.empty();
        }
        Run run = claimed.get();
        // A chunk is applied long after the event that planned its run: it continues that event's trace, and each
        // credit it writes keeps the chunk's context for the relay's credit-issued.
        try (Tracing.ActiveSpan span = tracing.continuing(SPAN, SpanKind.INTERNAL, run.traceparent())) {
            span.span().setAttribute("compensation.credit_run.id", run.runId());
            span.span().setAttribute("incident.id", run.incidentId().toString());
            try {
                Chunk chunk = applyChunk(c, run, span.traceparent());
                span.span().setAttribute("compensation.credit_run.entries", chunk.entries());
                return Optional.of(chunk);
            } catch (SQLException | RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }
    }

    private Chunk applyChunk(Connection c, Run run, String traceparent) throws SQLException {
        Map<GroupKey, Decision> decisions = decisions(c, run);
        Entries entries = new Entries();
        int contracts = 0;
        UUID last = null;
        try (PreparedStatement query = c.prepareStatement(CHUNK)) {
            query.setString(1, run.service());
            query.setObject(2, run.doneThrough() == null ? BEFORE_ALL : run.doneThrough());
            query.setInt(3, chunkSize);
            query.setDate(4, run.month());
            query.setDate(5, run.month());
            query.setFetchSize(chunkSize);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    contracts++;
                    last = rows.getObject("contract_id", UUID.class);
                    String policyId = rows.getString("policy_id");
                    if (policyId == null) {
                        continue; // no version of this contract is in force yet in the month
                    }
                    Decision decision = decisions.get(new GroupKey(
                            Arrays.asList((String[]) rows.getArray("regions").getArray()), policyId));
                    if (decision != null) {
                        apply(decision, rows, entries);
                    }
                }
            }
        }
        int written = insert(c, run, entries, traceparent);
        boolean finished = contracts < chunkSize;
        try (PreparedStatement progress = c.prepareStatement("""
                UPDATE credit_run SET done_through = coalesce(?, done_through), chunks = chunks + 1, entries = entries + ?,
                    finished_at = CASE WHEN ? THEN now() END
                WHERE run_id = ?""")) {
            progress.setObject(1, last);
            progress.setLong(2, written);
            progress.setBoolean(3, finished);
            progress.setLong(4, run.runId());
            progress.executeUpdate();
        }
        return new Chunk(run.runId(), run.incidentId(), run.service(),
                run.month().toLocalDate().toString().substring(0, 7), contracts, written, finished, run.chunks() + 1,
                run.entries() + written);
    }

    /** The contract's entry by the credit rule, if it gets one. */
    private void apply(Decision decision, ResultSet contract, Entries entries) throws SQLException {
        AlreadyIssued issued = new AlreadyIssued(contract.getInt("issued_entries"), contract.getBigDecimal("issued_percent"),
                contract.getBigDecimal("issued_amount"), contract.getInt("issued_days"));
        if (decision.kind() == PolicyKind.MONEY) {
            Optional<CreditRule.MoneyCredit> credit = CreditRule.money(contract.getBigDecimal("monthly_fee"),
                    contract.getInt("currency_digits"), decision.tierPercent(), issued, minimumAmount);
            if (credit.isPresent()) {
                entries.add(decision.decisionId(), contract, credit.get().belowMinimum() ? "below_minimum" : "issued",
                        credit.get().kind(), credit.get().percentAdded(), credit.get().amount(), null);
            }
        } else {
            Optional<CreditRule.ExtensionCredit> credit = CreditRule.extension(decision.tierDays(), issued);
            if (credit.isPresent()) {
                entries.add(decision.decisionId(), contract, "issued", credit.get().kind(), null, null, credit.get().days());
            }
        }
    }

    /**
     * The next {@code size} contracts of the service after the run's progress, each with its version in force in the
     * month (none: null columns) and what was issued to it for the month. Each part is an index range or look-up
     * (contract_service, contract_version's key, credit_once), whatever the statistics say after a big import.
     * Parameters: service, after, size, month (version), month (issued).
     */
    private static final String CHUNK = """
            SELECT c.contract_id, c.customer_id, v.version, v.regions, v.monthly_fee, v.currency, v.currency_digits,
                   v.policy_id, i.issued_entries, i.issued_percent, i.issued_amount, i.issued_days
            FROM (SELECT contract_id, customer_id FROM contract WHERE service = ? AND contract_id > ?
                  ORDER BY contract_id LIMIT ?) c
            LEFT JOIN LATERAL (SELECT cv.version, cv.regions, cv.monthly_fee, cv.currency, cv.currency_digits, cv.policy_id
                               FROM contract_version cv WHERE cv.contract_id = c.contract_id AND cv.effective_from <= ?
                               ORDER BY cv.version DESC LIMIT 1) v ON true
            CROSS JOIN LATERAL (SELECT count(*) AS issued_entries, coalesce(sum(cr.credit_percent), 0) AS issued_percent,
                                       coalesce(sum(cr.amount), 0) AS issued_amount,
                                       coalesce(sum(cr.extension_days), 0) AS issued_days
                                FROM credit cr
                                WHERE cr.contract_id = c.contract_id AND cr.billing_month = ? AND cr.status = 'issued') i
            ORDER BY c.contract_id""";

    private static Optional<Run> claim(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT r.run_id, r.resolution_event_id, r.incident_id, r.service, r.billing_month, r.correlation_id,
                       r.done_through, r.chunks, r.entries, r.traceparent
                FROM credit_run r
                WHERE r.finished_at IS NULL
                  AND NOT EXISTS (SELECT 1 FROM credit_run earlier
                                  WHERE earlier.service = r.service AND earlier.billing_month = r.billing_month
                                    AND earlier.finished_at IS NULL AND earlier.run_id < r.run_id)
                ORDER BY r.run_id
                LIMIT 1
                FOR UPDATE OF r SKIP LOCKED""");
                ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                return Optional.empty();
            }
            return Optional.of(new Run(rows.getLong("run_id"), rows.getObject("resolution_event_id", UUID.class),
                    rows.getObject("incident_id", UUID.class), rows.getString("service"), rows.getDate("billing_month"),
                    rows.getString("correlation_id"), rows.getObject("done_through", UUID.class), rows.getInt("chunks"),
                    rows.getLong("entries"), rows.getString("traceparent")));
        }
    }

    private static Map<GroupKey, Decision> decisions(Connection c, Run run) throws SQLException {
        try (PreparedStatement query = c.prepareStatement("""
                SELECT decision_id, regions, policy_id, policy_kind, tier_percent, tier_days FROM credit_decision
                WHERE resolution_event_id = ? AND service = ? AND billing_month = ?""")) {
            query.setObject(1, run.resolutionEventId());
            query.setString(2, run.service());
            query.setDate(3, run.month());
            Map<GroupKey, Decision> decisions = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    decisions.put(new GroupKey(Arrays.asList((String[]) rows.getArray("regions").getArray()),
                            rows.getString("policy_id")),
                            new Decision(rows.getObject("decision_id", UUID.class), PolicyKind.fromWire(rows.getString("policy_kind")),
                                    rows.getBigDecimal("tier_percent"), rows.getInt("tier_days")));
                }
            }
            return decisions;
        }
    }

    private static int insert(Connection c, Run run, Entries entries, String traceparent) throws SQLException {
        if (entries.size() == 0) {
            return 0;
        }
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO credit (decision_id, contract_id, contract_version, customer_id, service, billing_month,
                    incident_id, status, kind, monthly_fee, currency, credit_percent, amount, extension_days, actor,
                    correlation_id, causation_id, traceparent)
                SELECT e.decision_id, e.contract_id, e.contract_version, e.customer_id, ?, ?, ?, e.status, e.kind,
                       e.monthly_fee, e.currency, e.credit_percent, e.amount, e.extension_days, ?, ?, ?, ?
                FROM unnest(?::uuid[], ?::uuid[], ?::int4[], ?::text[], ?::text[], ?::text[], ?::numeric[], ?::text[],
                            ?::numeric[], ?::numeric[], ?::int4[])
                     WITH ORDINALITY AS e(decision_id, contract_id, contract_version, customer_id, status, kind, monthly_fee,
                                          currency, credit_percent, amount, extension_days, n)
                ORDER BY e.n
                ON CONFLICT ON CONSTRAINT credit_once DO NOTHING""")) {
            int i = 1;
            insert.setString(i++, run.service());
            insert.setDate(i++, run.month());
            insert.setObject(i++, run.incidentId());
            insert.setString(i++, ACTOR);
            insert.setString(i++, run.correlationId());
            insert.setString(i++, run.resolutionEventId().toString());
            insert.setString(i++, traceparent);
            insert.setArray(i++, c.createArrayOf("uuid", entries.decisionIds.toArray()));
            insert.setArray(i++, c.createArrayOf("uuid", entries.contractIds.toArray()));
            insert.setArray(i++, c.createArrayOf("int4", entries.contractVersions.toArray()));
            insert.setArray(i++, c.createArrayOf("text", entries.customerIds.toArray()));
            insert.setArray(i++, c.createArrayOf("text", entries.statuses.toArray()));
            insert.setArray(i++, c.createArrayOf("text", entries.kinds.toArray()));
            insert.setArray(i++, c.createArrayOf("numeric", entries.fees.toArray()));
            insert.setArray(i++, c.createArrayOf("text", entries.currencies.toArray()));
            insert.setArray(i++, c.createArrayOf("numeric", entries.percents.toArray()));
            insert.setArray(i++, c.createArrayOf("numeric", entries.amounts.toArray()));
            insert.setArray(i, c.createArrayOf("int4", entries.days.toArray()));
            int written = insert.executeUpdate();
            if (written < entries.size()) {
                LOG.infof("Credit run %d: %d of %d entries were already in the ledger", run.runId(), entries.size() - written,
                        entries.size());
            }
            return written;
        }
    }
}

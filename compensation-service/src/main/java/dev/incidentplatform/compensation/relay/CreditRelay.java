package dev.incidentplatform.compensation.relay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.incidentplatform.compensation.domain.Money;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes the ledger's issued entries to {@code credit-events} as {@code credit-issued} (CloudEvents binary mode,
 * key = customer id), in batches, with an idempotent producer.
 *
 * <p>The ledger is the outbox. The relay reads in (transaction id, position) order and only rows whose transaction is
 * older than the oldest one still running ({@code pg_snapshot_xmin}): a row committed later always sorts after the
 * checkpoint, so none is skipped. The checkpoint moves only after the broker acknowledged the whole batch. A crash
 * between the acknowledgement and the checkpoint publishes that batch again: the same {@code ce_id}, key and payload,
 * which consumers deduplicate on. One instance relays at a time (the checkpoint row is locked, others skip).
 */
@ApplicationScoped
public class CreditRelay {

    private static final Logger LOG = Logger.getLogger(CreditRelay.class);
    public static final String SOURCE = "/compensation-service";
    public static final String DATASCHEMA = "https://contracts.incident-platform.dev/credit-issued/v1/schema.json";
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    private final DataSource dataSource;
    private final ObjectMapper json;
    private final Counter published;
    private final Counter failedBatches;
    private final String bootstrapServers;
    private final String topic;
    private final int batchSize;
    private final Duration pollInterval;
    private final boolean enabled;
    private KafkaProducer<String, byte[]> producer;
    private Thread worker;
    private volatile boolean running;

    public CreditRelay(DataSource dataSource, ObjectMapper json, MeterRegistry meters,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "compensation.relay.topic", defaultValue = "credit-events") String topic,
            @ConfigProperty(name = "compensation.relay.batch-size", defaultValue = "2000") int batchSize,
            @ConfigProperty(name = "compensation.relay.poll-interval", defaultValue = "PT0.2S") Duration pollInterval,
            @ConfigProperty(name = "compensation.relay.enabled", defaultValue = "true") boolean enabled) {
        this.dataSource = dataSource;
        this.json = json;
        this.published = Counter.builder("compensation.credits.published")
                .description("credit-issued records the broker acknowledged (a batch re-sent after a crash counts again)")
                .register(meters);
        this.failedBatches = Counter.builder("compensation.relay.failures")
                .description("Relay batches that failed (broker or database unreachable) and are retried").register(meters);
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.batchSize = batchSize;
        this.pollInterval = pollInterval;
        this.enabled = enabled;
    }

    void start(@Observes StartupEvent startup) {
        if (!enabled) {
            return;
        }
        producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.CLIENT_ID_CONFIG, "compensation-service-credit-relay",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 60_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 30_000),
                new StringSerializer(), new ByteArraySerializer());
        running = true;
        worker = new Thread(this::run, "credit-relay");
        worker.setDaemon(true);
        worker.start();
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            producer.close(Duration.ofSeconds(5));
        }
    }

    private void run() {
        long backoffMs = 200;
        while (running) {
            try {
                int published = publishBatch();
                backoffMs = 200;
                if (published < batchSize) {
                    Thread.sleep(pollInterval.toMillis());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!running) {
                    return;
                }
                failedBatches.increment();
                LOG.warnf("Publishing credits failed (%s); retrying in %d ms", e.getMessage(), backoffMs);
                try {
                    Thread.sleep(backoffMs);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoffMs = Math.min(backoffMs * 2, 10_000);
            }
        }
    }

    /** Publishes the next batch and moves the checkpoint; the number of records sent. */
    int publishBatch() throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                int sent = publishBatch(c);
                c.commit();
                return sent;
            } catch (SQLException | InterruptedException | ExecutionException | TimeoutException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private int publishBatch(Connection c) throws SQLException, InterruptedException, ExecutionException, TimeoutException {
        Object checkpointXid;
        long checkpointPosition;
        try (PreparedStatement lock = c.prepareStatement(
                "SELECT transaction_id, position FROM relay_checkpoint WHERE name = ? FOR UPDATE SKIP LOCKED")) {
            lock.setString(1, topic);
            try (ResultSet rows = lock.executeQuery()) {
                if (!rows.next()) {
                    return 0; // another instance is relaying
                }
                checkpointXid = rows.getString(1);
                checkpointPosition = rows.getLong(2);
            }
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        String lastXid = null;
        long lastPosition = 0;
        // The batch is picked from the (transaction_id, position) index alone and only then joined: the plan stays an
        // index range scan that stops after one batch, whatever the table's statistics say right after a big insert.
        try (PreparedStatement query = c.prepareStatement("""
                SELECT cr.transaction_id::text, cr.position, cr.event_id, cr.credit_id, cr.customer_id, cr.contract_id,
                       cr.contract_version, cr.service, to_char(cr.billing_month, 'YYYY-MM'), d.incident_ids::text[],
                       d.downtime_seconds, d.uptime_percent, cr.credit_percent, cr.amount, cr.currency, cr.extension_days,
                       d.policy_id, d.policy_version, cr.kind, cr.issued_at, cr.actor, cr.correlation_id, cr.causation_id,
                       cr.status
                FROM (SELECT * FROM credit
                      WHERE (transaction_id, position) > (?::xid8, ?)
                        AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())
                      ORDER BY transaction_id, position
                      LIMIT ?) cr
                JOIN credit_decision d ON d.decision_id = cr.decision_id
                ORDER BY cr.transaction_id, cr.position""")) {
            query.setString(1, (String) checkpointXid);
            query.setLong(2, checkpointPosition);
            query.setInt(3, batchSize);
            query.setFetchSize(batchSize);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    lastXid = rows.getString(1);
                    lastPosition = rows.getLong(2);
                    if (!"issued".equals(rows.getString(24))) {
                        continue;
                    }
                    records.add(record(rows));
                }
            }
        }
        if (lastXid == null) {
            return 0;
        }
        // below_minimum rows are read (to move past them) but never published.
        List<Future<RecordMetadata>> acks = new ArrayList<>(records.size());
        for (ProducerRecord<String, byte[]> record : records) {
            acks.add(producer.send(record));
        }
        producer.flush();
        for (Future<RecordMetadata> ack : acks) {
            ack.get(60, TimeUnit.SECONDS);
        }
        try (PreparedStatement move = c.prepareStatement(
                "UPDATE relay_checkpoint SET transaction_id = ?::xid8, position = ? WHERE name = ?")) {
            move.setString(1, lastXid);
            move.setLong(2, lastPosition);
            move.setString(3, topic);
            move.executeUpdate();
        }
        published.increment(records.size());
        return records.size();
    }

    private ProducerRecord<String, byte[]> record(ResultSet rows) throws SQLException {
        UUID eventId = rows.getObject(3, UUID.class);
        String customerId = rows.getString(5);
        Instant issuedAt = rows.getTimestamp(20).toInstant();
        ObjectNode event = json.createObjectNode();
        event.put("eventId", eventId.toString());
        event.put("eventType", "credit-issued");
        event.put("schemaVersion", 1);
        event.put("occurredAt", issuedAt.toString());
        event.put("correlationId", rows.getString(22));
        event.put("causationId", rows.getString(23));
        event.put("actor", rows.getString(21));
        event.put("creditId", rows.getObject(4, UUID.class).toString());
        event.put("customerId", customerId);
        event.put("contractId", rows.getObject(6, UUID.class).toString());
        event.put("contractVersion", rows.getInt(7));
        event.put("service", rows.getString(8));
        event.put("billingMonth", rows.getString(9));
        var incidentIds = event.putArray("incidentIds");
        for (String id : (String[]) rows.getArray(10).getArray()) {
            incidentIds.add(id);
        }
        event.put("downtimeMinutes", rows.getBigDecimal(11).divide(SIXTY, 4, RoundingMode.HALF_EVEN).stripTrailingZeros());
        event.put("monthlyUptimePercent", rows.getBigDecimal(12).stripTrailingZeros());
        BigDecimal amount = rows.getBigDecimal(14);
        if (amount != null) {
            event.put("creditPercent", rows.getBigDecimal(13).stripTrailingZeros());
            String currency = rows.getString(15);
            ObjectNode money = event.putObject("amount");
            money.put("amount", Money.format(amount, Currency.getInstance(currency).getDefaultFractionDigits()));
            money.put("currency", currency);
        }
        int days = rows.getInt(16);
        if (!rows.wasNull()) {
            event.put("extensionDays", days);
        }
        event.put("policyId", rows.getString(17));
        event.put("policyVersion", rows.getInt(18));
        event.put("kind", rows.getString(19));
        event.put("issuedAt", issuedAt.toString());
        byte[] value;
        try {
            value = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, customerId, value);
        header(record, "ce_specversion", "1.0");
        header(record, "ce_id", eventId.toString());
        header(record, "ce_type", "credit-issued");
        header(record, "ce_source", SOURCE);
        header(record, "ce_time", issuedAt.toString());
        header(record, "ce_subject", customerId);
        header(record, "ce_dataschema", DATASCHEMA);
        header(record, "content-type", "application/json");
        return record;
    }

    private static void header(ProducerRecord<String, byte[]> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.incidentplatform.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;
import org.jboss.logging.MDC;

import dev.incidentplatform.platform.consume.CloudEventRecords;
import dev.incidentplatform.platform.kafka.KafkaClients;
import dev.incidentplatform.platform.outbox.AppendOnlyTable.Row;
import dev.incidentplatform.platform.tracing.Traceparents;
import dev.incidentplatform.platform.tracing.Tracing;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.StatusCode;

/**
 * Publishes a {@link RelayedStream} to its topic, in commit order, exactly once: the transactional outbox's relay.
 *
 * <ul>
 * <li>Each batch is one Kafka transaction (idempotent producer, acks=all). The transactional id is the stream's name
 * and the store's id, so a relay that lost its lock but still runs is fenced by the next one.</li>
 * <li>The batch is read by one short statement and the checkpoint saved by another, on the leader's autocommit
 * session, after Kafka's commit: no database transaction stays open while Kafka is waited for.</li>
 * <li>A crash between Kafka's commit and the checkpoint's is healed whenever a producer is (re)created: the relay
 * reads the last committed record of each partition (read_committed) and moves the checkpoint to the newest position
 * found there.</li>
 * <li>Each record gets a PRODUCER span ({@link Tracing#publishing}), child of the trace context stored with the row
 * (the event's {@code traceparent}), and the record's {@code ce_traceparent} names that span: the consumers' spans are
 * its children. The spans end when the batch's transaction has committed (or failed).</li>
 * </ul>
 */
final class KafkaRelay implements Subscriber {

    private static final Logger LOG = Logger.getLogger(KafkaRelay.class);
    private static final Duration RECONCILE_TIMEOUT = Duration.ofSeconds(30);

    private final RelayedStream stream;
    private final KafkaClients kafka;
    private final SubscriptionMetrics metrics;
    private final String storeHeader;
    private final String positionHeader;
    private final TopicTail tail;
    private final Tracing tracing;

    private UUID storeId;
    private KafkaProducer<String, byte[]> producer;
    private Cursor cursor;

    KafkaRelay(RelayedStream stream, KafkaClients kafka, SubscriptionMetrics metrics, Tracing tracing) {
        this.stream = stream;
        this.tracing = tracing;
        this.kafka = kafka;
        this.metrics = metrics;
        this.storeHeader = stream.headerPrefix() + "-store";
        this.positionHeader = stream.headerPrefix() + "-position";
        this.tail = new TopicTail(kafka, stream.topic(), storeHeader, positionHeader);
    }

    @Override
    public int deliver(Connection session) throws SQLException {
        if (storeId == null) {
            storeId = storeId(session);
        }
        if (producer == null) {
            producer = producer();
            producer.initTransactions();
            cursor = reconcile(session);
        }
        SubscriptionSettings settings = stream.settings();
        List<Row<Optional<OutboxRecord>>> batch = stream.table().read(session, cursor, settings.batchSize(), stream::record);
        if (batch.isEmpty()) {
            return 0;
        }
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(batch.size());
        List<Instant> published = new ArrayList<>(batch.size());
        List<Span> spans = new ArrayList<>(batch.size());
        long sending;
        try {
            for (Row<Optional<OutboxRecord>> row : batch) {
                if (row.value().isPresent()) {
                    records.add(record(row.cursor(), row.value().get(), spans));
                    published.add(row.recordedAt());
                }
            }
            sending = System.nanoTime();
            if (!records.isEmpty()) {
                producer.beginTransaction();
                records.forEach(producer::send);
                producer.commitTransaction();
            }
        } catch (RuntimeException e) {
            spans.forEach(span -> span.recordException(e).setStatus(StatusCode.ERROR, String.valueOf(e.getMessage())));
            throw e;
        } finally {
            spans.forEach(Span::end);
        }
        if (LOG.isDebugEnabled()) {
            LOG.debugf("%s: published %d of %d rows (%s .. %s); Kafka took %d ms, the oldest had waited %d ms", settings.name(),
                    published.size(), batch.size(), batch.get(0).cursor(), batch.get(batch.size() - 1).cursor(),
                    (System.nanoTime() - sending) / 1_000_000,
                    Duration.between(batch.get(0).recordedAt(), Instant.now()).toMillis());
        }
        cursor = batch.get(batch.size() - 1).cursor();
        Checkpoints.save(session, settings.checkpoint(), cursor);
        metrics.delivered(published);
        return batch.size();
    }

    /**
     * Whatever the broker did with an open transaction, a new producer with the same transactional id finishes or
     * aborts it, and reconciling finds out which.
     */
    @Override
    public void reset() {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (RuntimeException e) {
                LOG.debugf(e, "Closing the producer of %s failed", stream.settings().name());
            }
            producer = null;
        }
    }

    @Override
    public void close() {
        reset();
    }

    /** The row's record, its event's traceparent naming the publish span started for it (added to {@code spans}). */
    private ProducerRecord<String, byte[]> record(Cursor position, OutboxRecord outbox, List<Span> spans) {
        CloudEvent event = outbox.event();
        Span span = tracing.publishing(event, stream.topic(), CloudEventRecords.traceparent(event).orElse(null));
        spans.add(span);
        Optional<String> traceparent = Traceparents.of(span.getSpanContext());
        if (traceparent.isPresent()) {
            event = CloudEventBuilder.from(event).withExtension(CloudEventRecords.TRACEPARENT, traceparent.get()).build();
        }
        if (LOG.isDebugEnabled()) {
            MDC.put(Tracing.MDC_EVENT_ID, event.getId());
            MDC.put(Tracing.MDC_TRACE_ID, span.getSpanContext().getTraceId());
            try {
                LOG.debugf("%s: publishing %s at %s", stream.settings().name(), event.getType(), position);
            } finally {
                MDC.remove(Tracing.MDC_EVENT_ID);
                MDC.remove(Tracing.MDC_TRACE_ID);
            }
        }
        ProducerRecord<String, byte[]> record = KafkaMessageFactory
                .<String>createWriter(stream.topic(), null, null, outbox.key()).writeBinary(event);
        record.headers().add(storeHeader, storeId.toString().getBytes(StandardCharsets.UTF_8));
        record.headers().add(positionHeader, position.toString().getBytes(StandardCharsets.UTF_8));
        return record;
    }

    /** The checkpoint, moved forward to what the topic already holds if a crash came between Kafka's commit and ours. */
    private Cursor reconcile(Connection session) throws SQLException {
        String checkpointName = stream.settings().checkpoint();
        Cursor checkpoint = Checkpoints.read(session, checkpointName);
        Optional<Cursor> onTopic = tail.lastPublished(storeId, RECONCILE_TIMEOUT);
        if (onTopic.isPresent() && onTopic.get().compareTo(checkpoint) > 0) {
            LOG.infof("%s already holds rows up to %s, past the checkpoint %s: moving the checkpoint", stream.topic(),
                    onTopic.get(), checkpoint);
            Checkpoints.save(session, checkpointName, onTopic.get());
            return onTopic.get();
        }
        return checkpoint;
    }

    private KafkaProducer<String, byte[]> producer() {
        String name = stream.settings().name();
        return new KafkaProducer<>(kafka.producer("relay-" + name, Map.ofEntries(
                Map.entry(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true"),
                Map.entry(ProducerConfig.ACKS_CONFIG, "all"),
                Map.entry(ProducerConfig.TRANSACTIONAL_ID_CONFIG, name + "-" + storeId),
                Map.entry(ProducerConfig.LINGER_MS_CONFIG, "5"),
                Map.entry(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024)),
                // Fail fast while the broker is away, so that the subscription's retry (with reconciliation) takes over.
                Map.entry(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000"),
                Map.entry(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000"),
                Map.entry(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000"),
                Map.entry(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000"),
                Map.entry(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000"))),
                new StringSerializer(), new ByteArraySerializer());
    }

    private UUID storeId(Connection session) throws SQLException {
        try (PreparedStatement query = session.prepareStatement(stream.storeIdentityQuery());
                ResultSet rows = query.executeQuery()) {
            if (!rows.next()) {
                throw new IllegalStateException("No store id: " + stream.storeIdentityQuery());
            }
            return rows.getObject("store_id", UUID.class);
        }
    }
}

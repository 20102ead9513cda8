package dev.incidentplatform.incident.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.incidentplatform.incident.eventstore.Checkpoints;
import dev.incidentplatform.incident.eventstore.Cursor;
import dev.incidentplatform.incident.eventstore.EventNotifications;
import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.metrics.IncidentMetrics;
import io.quarkus.runtime.StartupEvent;

/**
 * Publishes the event store to Kafka, in commit order, exactly once: the transactional outbox's relay.
 *
 * <ul>
 * <li>One relay at a time: the one holding a PostgreSQL advisory lock; another instance stands by until it gets it.
 * The Kafka transactional id (one per store) fences a relay that lost its lock but still runs.</li>
 * <li>Order: it reads events in (transaction id, position) order, only below the oldest transaction still running
 * (see {@link EventStore#readCommitted}), so an event committed late never slips behind the checkpoint.</li>
 * <li>Exactly once: each batch is one Kafka transaction (idempotent producer, acks=all); the checkpoint advances after
 * the commit. A crash between the two is healed at start-up: the relay reads the last committed record of each
 * partition (read_committed) and moves the checkpoint to the newest position found there.</li>
 * <li>Kafka down: batches fail and are retried with back-off; commands do not notice; nothing is skipped.</li>
 * <li>Latency: it sleeps on LISTEN event_appended, with a short fallback poll, never a fixed period.</li>
 * </ul>
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** pg_advisory_lock key of the relay: "incident-relay" as a number. */
    static final long LOCK_KEY = 0x696e632d72656cL;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(2);

    private final DataSource dataSource;
    private final EventStore store;
    private final Checkpoints checkpoints;
    private final IncidentMetrics metrics;
    private final String bootstrapServers;
    private final String topic;
    private final int batchSize;
    private final Duration idleWait;
    private final boolean enabled;

    private volatile boolean running;
    private volatile boolean leader;
    private Thread worker;

    public OutboxRelay(DataSource dataSource, EventStore store, Checkpoints checkpoints, IncidentMetrics metrics,
            @ConfigProperty(name = "kafka.bootstrap.servers") String bootstrapServers,
            @ConfigProperty(name = "incident.relay.topic", defaultValue = "incident-events") String topic,
            @ConfigProperty(name = "incident.relay.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "incident.relay.idle-wait", defaultValue = "PT0.5S") Duration idleWait,
            @ConfigProperty(name = "incident.relay.enabled", defaultValue = "true") boolean enabled) {
        this.dataSource = dataSource;
        this.store = store;
        this.checkpoints = checkpoints;
        this.metrics = metrics;
        this.bootstrapServers = bootstrapServers;
        this.topic = topic;
        this.batchSize = batchSize;
        this.idleWait = idleWait;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent startup) {
        if (enabled) {
            start();
        }
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "incident-outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    /** Stops publishing and waits for the current batch to end (the tests stop and start it like a crash would). */
    @PreDestroy
    public synchronized void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    /** True while this instance holds the relay's lock and publishes. */
    public boolean leader() {
        return leader;
    }

    /** True while the relay runs in this instance: leading, or standing by for the lock. */
    public boolean running() {
        return running;
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try (Connection session = dataSource.getConnection()) {
                session.setAutoCommit(true);
                if (!tryLock(session)) {
                    pause(MAX_BACKOFF);
                    continue;
                }
                leader = true;
                metrics.leader(true);
                try {
                    UUID storeId = storeId(session);
                    EventNotifications appended = EventNotifications.listen(session);
                    publishWhileRunning(session, storeId, appended);
                    backoff = Duration.ofMillis(100);
                } finally {
                    leader = false;
                    metrics.leader(false);
                    unlock(session);
                }
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("Relay stopped (%s); restarting in %d ms", e, backoff.toMillis());
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                }
            }
        }
    }

    /** Leads until stopped; a Kafka failure re-creates the producer and reconciles, a database failure ends leadership. */
    private void publishWhileRunning(Connection session, UUID storeId, EventNotifications appended) throws SQLException {
        KafkaProducer<byte[], byte[]> producer = null;
        Cursor cursor = null;
        Duration kafkaBackoff = Duration.ofMillis(100);
        Duration wait = idleWait;
        boolean warned = false;
        try {
            while (running) {
                try {
                    if (producer == null) {
                        producer = producer(storeId);
                        producer.initTransactions();
                        cursor = reconcile(session, storeId);
                        if (warned) {
                            LOG.infof("Kafka is back; relay resumes after %s", cursor);
                            warned = false;
                        }
                    }
                    List<StoredEvent> batch = store.readCommitted(session, cursor, batchSize);
                    if (batch.isEmpty()) {
                        // Notified but nothing visible yet: an older transaction is still running; look again soon.
                        boolean notified = appended.await(wait);
                        wait = notified ? Duration.ofMillis(5) : min(wait.multipliedBy(2), idleWait);
                        continue;
                    }
                    wait = Duration.ofMillis(5);
                    long sending = System.nanoTime();
                    producer.beginTransaction();
                    for (StoredEvent event : batch) {
                        producer.send(CloudEventRecords.of(topic, storeId, event));
                    }
                    producer.commitTransaction();
                    if (LOG.isDebugEnabled()) {
                        LOG.debugf("Published %d events (%s .. %s): Kafka took %d ms; the oldest had waited %d ms since recorded_at",
                                batch.size(), batch.get(0).cursor(), batch.get(batch.size() - 1).cursor(),
                                (System.nanoTime() - sending) / 1_000_000,
                                Duration.between(batch.get(0).recordedAt(), java.time.Instant.now()).toMillis());
                    }
                    cursor = batch.get(batch.size() - 1).cursor();
                    checkpoints.save(session, Checkpoints.RELAY, cursor);
                    metrics.published(batch.stream().map(StoredEvent::recordedAt).toList());
                    kafkaBackoff = Duration.ofMillis(100);
                } catch (KafkaException e) {
                    if (!running) {
                        return;
                    }
                    metrics.publishFailed();
                    if (!warned) {
                        LOG.warnf("Publishing to Kafka failed (%s); retrying until it succeeds", e.toString());
                        warned = true;
                    }
                    // Whatever the broker did with the open transaction, a new producer with the same transactional
                    // id finishes or aborts it, and reconciling finds out which.
                    close(producer);
                    producer = null;
                    pause(kafkaBackoff);
                    kafkaBackoff = min(kafkaBackoff.multipliedBy(2), MAX_BACKOFF);
                }
            }
        } finally {
            close(producer);
        }
    }

    /** The checkpoint, moved forward to what the topic already holds if a crash came between Kafka's commit and ours. */
    private Cursor reconcile(Connection session, UUID storeId) throws SQLException {
        Cursor checkpoint = checkpoints.read(session, Checkpoints.RELAY);
        Optional<Cursor> onTopic = TopicTail.lastPublished(bootstrapServers, topic, storeId, Duration.ofSeconds(30));
        if (onTopic.isPresent() && onTopic.get().compareTo(checkpoint) > 0) {
            LOG.infof("Kafka already holds events up to %s, past the checkpoint %s: moving the checkpoint", onTopic.get(),
                    checkpoint);
            checkpoints.save(session, Checkpoints.RELAY, onTopic.get());
            return onTopic.get();
        }
        return checkpoint;
    }

    private KafkaProducer<byte[], byte[]> producer(UUID storeId) {
        Properties properties = new Properties();
        properties.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ProducerConfig.CLIENT_ID_CONFIG, "incident-service-relay");
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        properties.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, "incident-service-relay-" + storeId);
        properties.put(ProducerConfig.LINGER_MS_CONFIG, "1");
        // Fail fast while the broker is away, so the relay's own retry loop (with reconciliation) takes over.
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        properties.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "15000");
        properties.put(ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, "30000");
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "1000");
        return new KafkaProducer<>(properties, new ByteArraySerializer(), new ByteArraySerializer());
    }

    private static boolean tryLock(Connection session) throws SQLException {
        try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static void unlock(Connection session) {
        try (PreparedStatement unlock = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, LOCK_KEY);
            unlock.execute();
        } catch (SQLException e) {
            LOG.debugf(e, "Could not release the relay lock (the connection ends it anyway)");
        }
    }

    private static UUID storeId(Connection session) throws SQLException {
        try (PreparedStatement query = session.prepareStatement("SELECT store_id FROM event_store_identity");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getObject(1, UUID.class);
        }
    }

    private static void close(KafkaProducer<byte[], byte[]> producer) {
        if (producer != null) {
            try {
                producer.close(Duration.ZERO);
            } catch (Exception e) {
                LOG.debugf(e, "Closing the relay's producer failed");
            }
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            if (running) {
                Thread.currentThread().interrupt();
            }
            Thread.interrupted();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

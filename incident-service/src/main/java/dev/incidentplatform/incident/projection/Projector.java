package dev.incidentplatform.incident.projection;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import dev.incidentplatform.incident.eventstore.Checkpoints;
import dev.incidentplatform.incident.eventstore.Cursor;
import dev.incidentplatform.incident.eventstore.EventNotifications;
import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Keeps the read models current: applies events in the relay's commit-safe order, in batches, each batch in one
 * transaction with the checkpoint it reaches. The checkpoint row is locked for the batch, so several instances (or a
 * rebuild swapping tables in) never apply the same event twice.
 */
@ApplicationScoped
public class Projector {

    private static final Logger LOG = Logger.getLogger(Projector.class);

    private final DataSource dataSource;
    private final EventStore store;
    private final Checkpoints checkpoints;
    private final int batchSize;
    private final Duration idleWait;
    private final boolean enabled;
    private volatile boolean running;
    private Thread worker;

    public Projector(DataSource dataSource, EventStore store, Checkpoints checkpoints,
            @ConfigProperty(name = "incident.projector.batch-size", defaultValue = "25") int batchSize,
            @ConfigProperty(name = "incident.projector.idle-wait", defaultValue = "PT0.5S") Duration idleWait,
            @ConfigProperty(name = "incident.projector.enabled", defaultValue = "true") boolean enabled) {
        this.dataSource = dataSource;
        this.store = store;
        this.checkpoints = checkpoints;
        this.batchSize = batchSize;
        this.idleWait = idleWait;
        this.enabled = enabled;
    }

    void onStart(@Observes StartupEvent startup) {
        if (enabled) {
            running = true;
            worker = new Thread(this::run, "incident-projector");
            worker.setDaemon(true);
            worker.start();
        }
    }

    @PreDestroy
    synchronized void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try (Connection listener = dataSource.getConnection()) {
                listener.setAutoCommit(true);
                EventNotifications appended = EventNotifications.listen(listener);
                Duration wait = Duration.ofMillis(5);
                while (running) {
                    int applied = applyBatch();
                    if (applied == batchSize) {
                        continue;
                    }
                    boolean notified = appended.await(applied > 0 ? Duration.ofMillis(5) : wait);
                    wait = notified ? Duration.ofMillis(5) : min(wait.multipliedBy(2), idleWait);
                }
                backoff = Duration.ofMillis(100);
            } catch (Exception e) {
                if (running) {
                    LOG.warnf("Projector stopped (%s); restarting in %d ms", e, backoff.toMillis());
                    try {
                        Thread.sleep(backoff.toMillis());
                    } catch (InterruptedException interrupted) {
                        return;
                    }
                    backoff = min(backoff.multipliedBy(2), Duration.ofSeconds(2));
                }
            }
        }
    }

    /** One batch in one transaction; the number of events applied. */
    int applyBatch() throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // The horizon first, while this transaction has no id of its own. Look before locking: an idle
                // projector then only reads, and takes no transaction id and writes no lock every time it looks.
                long horizon = store.horizon(connection);
                Cursor seen = checkpoints.read(connection, Checkpoints.PROJECTION);
                List<StoredEvent> batch = store.readCommitted(connection, seen, horizon, batchSize);
                if (batch.isEmpty()) {
                    connection.rollback();
                    return 0;
                }
                Cursor checkpoint = checkpoints.lock(connection, Checkpoints.PROJECTION);
                if (!checkpoint.equals(seen)) {
                    // Another instance (or a rebuild) moved it meanwhile: read again from where it now stands.
                    batch = store.readCommitted(connection, checkpoint, horizon, batchSize);
                    if (batch.isEmpty()) {
                        connection.rollback();
                        return 0;
                    }
                }
                new ReadModelWriter(connection, "").apply(batch);
                checkpoints.save(connection, Checkpoints.PROJECTION, batch.get(batch.size() - 1).cursor());
                connection.commit();
                return batch.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

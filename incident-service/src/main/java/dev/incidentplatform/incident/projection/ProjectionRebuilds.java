package dev.incidentplatform.incident.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.platform.outbox.AppendOnlyTable.Row;
import dev.incidentplatform.platform.outbox.Checkpoints;
import dev.incidentplatform.platform.outbox.Cursor;

/**
 * Drops and rebuilds the read models from the event store without readers ever seeing an empty list: builds fresh
 * tables in batches (keyset pages over the event store, so memory stays bounded whatever its size), then, holding the
 * live projector's checkpoint lock, catches up with it and swaps the tables in in one transaction.
 */
@ApplicationScoped
public class ProjectionRebuilds {

    private static final Logger LOG = Logger.getLogger(ProjectionRebuilds.class);
    /** pg_advisory_lock key: one rebuild at a time, across instances. */
    private static final long LOCK_KEY = 0x696e632d726562L;
    private static final String SUFFIX = "_rebuild";
    /** Events per transaction: a rebuild's transactions, like the projector's, hold back the relay while they run. */
    private static final int BATCH = 200;

    private final DataSource dataSource;
    private final EventStore store;
    private final ExecutorService executor = Executors.newSingleThreadExecutor(runnable -> {
        Thread thread = new Thread(runnable, "incident-projection-rebuild");
        thread.setDaemon(true);
        return thread;
    });

    public ProjectionRebuilds(DataSource dataSource, EventStore store) {
        this.dataSource = dataSource;
        this.store = store;
    }

    /** finishedAt and error are absent while it runs (error also once it completed). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Rebuild(UUID id, String state, long processed, long total, String requestedBy, Instant startedAt,
            Instant finishedAt, String error) {
    }

    /** Thrown when a rebuild is already running. */
    public static class AlreadyRunning extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private final UUID running;

        AlreadyRunning(UUID running) {
            super("A rebuild is already running" + (running == null ? "" : ": " + running));
            this.running = running;
        }

        public UUID running() {
            return running;
        }
    }

    @PreDestroy
    void stop() {
        executor.shutdownNow();
    }

    /** Starts a rebuild in the background and returns it as it starts. */
    public Rebuild start(String requestedBy) throws SQLException {
        Connection connection = dataSource.getConnection();
        try {
            connection.setAutoCommit(true);
            if (!advisoryLock(connection, "pg_try_advisory_lock")) {
                throw new AlreadyRunning(runningId(connection).orElse(null));
            }
            UUID id = UUID.randomUUID();
            try (Statement statement = connection.createStatement()) {
                // A rebuild that was running when its instance died is over: the lock we now hold says so.
                statement.executeUpdate("UPDATE projection_rebuild SET state = 'failed', finished_at = now(),"
                        + " error = 'interrupted: its service instance stopped' WHERE state = 'running'");
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO projection_rebuild"
                    + " (id, state, processed, total, requested_by) VALUES (?, 'running', 0, ?, ?)")) {
                insert.setObject(1, id);
                insert.setLong(2, store.count(connection));
                insert.setString(3, requestedBy);
                insert.executeUpdate();
            }
            Rebuild started = find(connection, id).orElseThrow();
            executor.execute(() -> run(connection, id));
            return started;
        } catch (SQLException | RuntimeException e) {
            connection.close();
            throw e;
        }
    }

    public Optional<Rebuild> find(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id);
        }
    }

    private void run(Connection connection, UUID id) {
        try (connection) {
            try {
                long processed = rebuild(connection, id);
                LOG.infof("Read models rebuilt from %d events", processed);
            } catch (Exception e) {
                LOG.errorf(e, "Rebuild %s failed", id);
                connection.rollback();
                connection.setAutoCommit(true);
                try (PreparedStatement failed = connection.prepareStatement("UPDATE projection_rebuild SET state = 'failed',"
                        + " finished_at = now(), error = ? WHERE id = ?")) {
                    failed.setString(1, String.valueOf(e.getMessage()));
                    failed.setObject(2, id);
                    failed.executeUpdate();
                }
                dropRebuildTables(connection);
            } finally {
                connection.setAutoCommit(true);
                advisoryLock(connection, "pg_advisory_unlock");
            }
        } catch (SQLException e) {
            LOG.errorf(e, "Rebuild %s could not clean up", id);
        }
    }

    private long rebuild(Connection connection, UUID id) throws SQLException {
        dropRebuildTables(connection);
        try (Statement statement = connection.createStatement()) {
            for (String table : ReadModelWriter.TABLES) {
                statement.execute("CREATE TABLE " + table + SUFFIX + " (LIKE " + table + " INCLUDING ALL)");
            }
        }
        ReadModelWriter writer = new ReadModelWriter(connection, SUFFIX);
        Cursor cursor = Cursor.START;
        long processed = 0;
        connection.setAutoCommit(false);
        while (true) {
            // The read is the transaction's first statement: it has no id of its own yet to hold the horizon back.
            List<StoredEvent> batch = EventStore.TABLE.read(connection, cursor, BATCH, EventStore::row).stream().map(Row::value)
                    .toList();
            if (batch.isEmpty()) {
                connection.commit();
                break;
            }
            writer.apply(batch);
            cursor = batch.get(batch.size() - 1).cursor();
            processed += batch.size();
            progress(connection, id, processed);
            connection.commit();
        }
        // Swap: with the live projector held at its checkpoint, bring the new tables to the same point (or keep theirs,
        // if they are ahead), rename them in and move the checkpoint, all in one transaction.
        Cursor live = Checkpoints.lock(connection, ReadModelProjection.CHECKPOINT);
        while (cursor.compareTo(live) < 0) {
            List<StoredEvent> batch = store.readBetween(connection, cursor, live, BATCH);
            writer.apply(batch);
            cursor = batch.get(batch.size() - 1).cursor();
            processed += batch.size();
        }
        try (Statement statement = connection.createStatement()) {
            for (String table : ReadModelWriter.TABLES) {
                statement.execute("ALTER TABLE " + table + " RENAME TO " + table + "_replaced");
                statement.execute("ALTER TABLE " + table + SUFFIX + " RENAME TO " + table);
                statement.execute("DROP TABLE " + table + "_replaced");
            }
        }
        Checkpoints.save(connection, ReadModelProjection.CHECKPOINT, cursor);
        try (PreparedStatement done = connection.prepareStatement("UPDATE projection_rebuild SET state = 'completed',"
                + " processed = ?, total = ?, finished_at = now() WHERE id = ?")) {
            done.setLong(1, processed);
            done.setLong(2, processed);
            done.setObject(3, id);
            done.executeUpdate();
        }
        connection.commit();
        return processed;
    }

    private static void progress(Connection connection, UUID id, long processed) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE projection_rebuild SET processed = ?,"
                + " total = greatest(total, ?) WHERE id = ?")) {
            update.setLong(1, processed);
            update.setLong(2, processed);
            update.setObject(3, id);
            update.executeUpdate();
        }
    }

    private static void dropRebuildTables(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            for (String table : ReadModelWriter.TABLES) {
                statement.execute("DROP TABLE IF EXISTS " + table + SUFFIX);
            }
        }
    }

    private static boolean advisoryLock(Connection connection, String function) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT " + function + "(?)")) {
            lock.setLong(1, LOCK_KEY);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                return rows.getBoolean(1);
            }
        }
    }

    private static Optional<UUID> runningId(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT id FROM projection_rebuild WHERE state = 'running'"
                        + " ORDER BY started_at DESC LIMIT 1")) {
            return rows.next() ? Optional.of(rows.getObject(1, UUID.class)) : Optional.empty();
        }
    }

    private static Optional<Rebuild> find(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT id, state, processed, total, requested_by,"
                + " started_at, finished_at, error FROM projection_rebuild WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                Timestamp finished = rows.getTimestamp("finished_at");
                return Optional.of(new Rebuild(rows.getObject("id", UUID.class), rows.getString("state"), rows.getLong("processed"),
                        rows.getLong("total"), rows.getString("requested_by"), rows.getTimestamp("started_at").toInstant(),
                        finished == null ? null : finished.toInstant(), rows.getString("error")));
            }
        }
    }
}

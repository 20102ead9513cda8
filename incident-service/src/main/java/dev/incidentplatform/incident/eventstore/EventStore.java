package dev.incidentplatform.incident.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The append-only event store in PostgreSQL, which is also the outbox. Every method works on the caller's connection,
 * so that an append and whatever the command writes with it commit together.
 */
@ApplicationScoped
public class EventStore {

    /**
     * The transaction id goes out as text under another name: an output column named transaction_id would make
     * "ORDER BY transaction_id" sort by the text ('1000' before '998'), and so publish out of order.
     */
    private static final String COLUMNS = "position, transaction_id::text AS transaction_id_text, event_id, stream_id, version,"
            + " type, schema_version, data::text AS data_text, metadata::text AS metadata_text, recorded_at";
    private static final String STREAM_VERSION_CONSTRAINT = "event_stream_version_unique";

    public record NewEvent(UUID eventId, String type, int schemaVersion, String data, String metadata) {
    }

    /**
     * Appends {@code event} as version {@code expectedVersion + 1} of the stream; the unique (stream id, version)
     * constraint turns a concurrent append into {@link ConcurrentAppendException}, never into a lost event.
     *
     * <p>Callers make this the FIRST write of their transaction. PostgreSQL assigns a transaction id at its first
     * write, so the id of the transaction appending version n+1 is then taken after it read version n, that is after
     * version n's transaction committed, and is therefore larger. The relay and the projector read in (transaction id,
     * position) order; this is what keeps one incident's events in version order for them. Anything written before the
     * append (an idempotency record, a lock) would break it.
     */
    public void append(Connection connection, UUID streamId, int expectedVersion, NewEvent event) throws SQLException {
        int version = expectedVersion + 1;
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO event (event_id, stream_id, version, type, schema_version, data, metadata) "
                        + "VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), CAST(? AS jsonb))")) {
            insert.setObject(1, event.eventId());
            insert.setObject(2, streamId);
            insert.setInt(3, version);
            insert.setString(4, event.type());
            insert.setInt(5, event.schemaVersion());
            insert.setString(6, event.data());
            insert.setString(7, event.metadata());
            insert.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains(STREAM_VERSION_CONSTRAINT)) {
                throw new ConcurrentAppendException(streamId, version);
            }
            throw e;
        }
    }

    /** The whole stream in version order (an incident has tens of events, not millions). */
    public List<StoredEvent> readStream(Connection connection, UUID streamId) throws SQLException {
        return readStream(connection, streamId, 1, Integer.MAX_VALUE);
    }

    public List<StoredEvent> readStream(Connection connection, UUID streamId, int fromVersion, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                + " FROM event WHERE stream_id = ? AND version >= ? ORDER BY version LIMIT ?")) {
            query.setObject(1, streamId);
            query.setInt(2, fromVersion);
            query.setInt(3, limit);
            return read(query);
        }
    }

    public int streamVersion(Connection connection, UUID streamId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT coalesce(max(version), 0) FROM event WHERE stream_id = ?")) {
            query.setObject(1, streamId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getInt(1);
            }
        }
    }

    /** The oldest transaction id still running: every event written below it is committed or gone for good. */
    public long horizon(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")) {
            rows.next();
            return Long.parseUnsignedLong(rows.getString(1));
        }
    }

    /**
     * Up to {@code limit} events after {@code after}, in (transaction id, position) order, written by transactions
     * below {@code horizon} (so nothing can still appear before them). Call {@link #horizon} first, before the
     * transaction gets an id of its own.
     */
    public List<StoredEvent> readCommitted(Connection connection, Cursor after, long horizon, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM event"
                + " WHERE (transaction_id, position) > (CAST(? AS xid8), ?) AND transaction_id < CAST(? AS xid8)"
                + " ORDER BY event.transaction_id, event.position LIMIT ?")) {
            query.setString(1, Long.toUnsignedString(after.transactionId()));
            query.setLong(2, after.position());
            query.setString(3, Long.toUnsignedString(horizon));
            query.setInt(4, limit);
            return read(query);
        }
    }

    /** Like {@link #readCommitted} but in one statement, for a connection in autocommit mode. */
    public List<StoredEvent> readCommitted(Connection connection, Cursor after, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM event"
                + " WHERE (transaction_id, position) > (CAST(? AS xid8), ?)"
                + " AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())"
                + " ORDER BY event.transaction_id, event.position LIMIT ?")) {
            query.setString(1, Long.toUnsignedString(after.transactionId()));
            query.setLong(2, after.position());
            query.setInt(3, limit);
            return read(query);
        }
    }

    /** Events in ({@code after}, {@code upTo}], for catching a rebuild up with the live projection. */
    public List<StoredEvent> readBetween(Connection connection, Cursor after, Cursor upTo, int limit) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM event"
                + " WHERE (transaction_id, position) > (CAST(? AS xid8), ?) AND (transaction_id, position) <= (CAST(? AS xid8), ?)"
                + " ORDER BY event.transaction_id, event.position LIMIT ?")) {
            query.setString(1, Long.toUnsignedString(after.transactionId()));
            query.setLong(2, after.position());
            query.setString(3, Long.toUnsignedString(upTo.transactionId()));
            query.setLong(4, upTo.position());
            query.setInt(5, limit);
            return read(query);
        }
    }

    /** Events after {@code after} (committed or not yet visible to the readers) and when the oldest was recorded. */
    public record Backlog(long events, java.time.Instant oldestRecordedAt) {
    }

    public Backlog backlog(Connection connection, Cursor after) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*), min(recorded_at) FROM event"
                + " WHERE (transaction_id, position) > (CAST(? AS xid8), ?)")) {
            query.setString(1, Long.toUnsignedString(after.transactionId()));
            query.setLong(2, after.position());
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                java.sql.Timestamp oldest = rows.getTimestamp(2);
                return new Backlog(rows.getLong(1), oldest == null ? null : oldest.toInstant());
            }
        }
    }

    public long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM event")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static List<StoredEvent> read(PreparedStatement query) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                events.add(new StoredEvent(rows.getLong(1), Long.parseUnsignedLong(rows.getString(2)), rows.getObject(3, UUID.class),
                        rows.getObject(4, UUID.class), rows.getInt(5), rows.getString(6), rows.getInt(7), rows.getString(8),
                        rows.getString(9), rows.getTimestamp(10).toInstant()));
            }
        }
        return events;
    }
}

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

import dev.incidentplatform.platform.outbox.AppendOnlyTable;
import dev.incidentplatform.platform.outbox.Cursor;

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

    /**
     * The event table as the relay and the projector read it: in commit order, rows as {@link #row}, woken by the
     * trigger's {@code NOTIFY event_appended} when an appending transaction commits.
     */
    public static final AppendOnlyTable TABLE = new AppendOnlyTable("event", COLUMNS, "", "recorded_at", "event_appended");

    public record NewEvent(UUID eventId, String type, int schemaVersion, String data, String metadata) {
    }

    /**
     * Appends {@code event} as version {@code expectedVersion + 1} of the stream; the unique (stream id, version)
     * constraint turns a concurrent append into {@link ConcurrentAppendException}, never into a lost event.
     *
     * <p>Callers make this the FIRST write of their transaction. PostgreSQL assigns a transaction id at its first
     * write, so the id of the transaction appending version n+1 is then taken after it read version n, that is after
     * version n's transaction committed, and is therefore larger. The relay and the projector read in (transaction id,
     * position) order ({@link #TABLE}); this is what keeps one incident's events in version order for them. Anything written before the
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

    public long count(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT count(*) FROM event")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** The current row of a result holding {@link #COLUMNS}, read by name. */
    public static StoredEvent row(ResultSet rows) throws SQLException {
        return new StoredEvent(rows.getLong("position"), Long.parseUnsignedLong(rows.getString("transaction_id_text")),
                rows.getObject("event_id", UUID.class), rows.getObject("stream_id", UUID.class), rows.getInt("version"),
                rows.getString("type"), rows.getInt("schema_version"), rows.getString("data_text"), rows.getString("metadata_text"),
                rows.getTimestamp("recorded_at").toInstant());
    }

    private static List<StoredEvent> read(PreparedStatement query) throws SQLException {
        List<StoredEvent> events = new ArrayList<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                events.add(row(rows));
            }
        }
        return events;
    }
}

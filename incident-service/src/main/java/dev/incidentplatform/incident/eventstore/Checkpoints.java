package dev.incidentplatform.incident.eventstore;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

/** Where each reader of the event store (the relay, the projector) stands, kept in the database. */
@ApplicationScoped
public class Checkpoints {

    public static final String RELAY = "relay:incident-events";
    public static final String PROJECTION = "projection:read-models";

    public Cursor read(Connection connection, String name) throws SQLException {
        return select(connection, name, "");
    }

    /** Reads and locks the checkpoint until the transaction ends: one writer of a read model at a time. */
    public Cursor lock(Connection connection, String name) throws SQLException {
        return select(connection, name, " FOR UPDATE");
    }

    public void save(Connection connection, String name, Cursor cursor) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE checkpoint SET last_transaction_id = CAST(? AS xid8),"
                + " last_position = ?, updated_at = now() WHERE name = ?")) {
            update.setString(1, Long.toUnsignedString(cursor.transactionId()));
            update.setLong(2, cursor.position());
            update.setString(3, name);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("No checkpoint " + name);
            }
        }
    }

    private static Cursor select(Connection connection, String name, String suffix) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT last_transaction_id::text, last_position FROM checkpoint WHERE name = ?" + suffix)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("No checkpoint " + name);
                }
                return new Cursor(Long.parseUnsignedLong(rows.getString(1)), rows.getLong(2));
            }
        }
    }
}

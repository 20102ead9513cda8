package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Where each subscription stands, in the {@code checkpoint} table every service that has one creates in its own
 * database, with the same shape: {@code name text PRIMARY KEY, last_transaction_id xid8, last_position bigint,
 * updated_at timestamptz}. Every method works on the caller's connection and transaction.
 */
public final class Checkpoints {

    private Checkpoints() {
    }

    /** Creates the checkpoint at the start of the table if it does not exist yet. */
    public static void create(Connection connection, String name) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO checkpoint (name, last_transaction_id,"
                + " last_position) VALUES (?, '0', 0) ON CONFLICT (name) DO NOTHING")) {
            insert.setString(1, name);
            insert.executeUpdate();
        }
    }

    public static Cursor read(Connection connection, String name) throws SQLException {
        return select(connection, name, "");
    }

    /** Reads and locks the checkpoint until the transaction ends: one writer at a time behind it. */
    public static Cursor lock(Connection connection, String name) throws SQLException {
        return select(connection, name, " FOR UPDATE");
    }

    public static void save(Connection connection, String name, Cursor cursor) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE checkpoint SET last_transaction_id = CAST(? AS xid8),"
                + " last_position = ?, updated_at = now() WHERE name = ?")) {
            update.setString(1, cursor.transactionIdText());
            update.setLong(2, cursor.position());
            update.setString(3, name);
            if (update.executeUpdate() != 1) {
                throw new IllegalStateException("No checkpoint " + name);
            }
        }
    }

    private static Cursor select(Connection connection, String name, String suffix) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT last_transaction_id::text AS transaction_id_text,"
                + " last_position FROM checkpoint WHERE name = ?" + suffix)) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    throw new IllegalStateException("No checkpoint " + name);
                }
                return new Cursor(Long.parseUnsignedLong(rows.getString("transaction_id_text")), rows.getLong("last_position"));
            }
        }
    }
}

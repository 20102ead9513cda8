package dev.incidentplatform.incident.service;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

/** The first answer to each (principal, Idempotency-Key), stored in the transaction of the append it answers. */
@ApplicationScoped
public class IdempotencyRecords {

    public record Stored(String requestHash, CommandResponse response) {
    }

    /** Thrown when a concurrent request with the same key committed first. */
    public static class KeyTaken extends RuntimeException {
        private static final long serialVersionUID = 1L;
    }

    public Optional<Stored> find(Connection connection, String principal, String key) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT request_hash, status, location, etag, body"
                + " FROM idempotency_record WHERE principal = ? AND idempotency_key = ?")) {
            query.setString(1, principal);
            query.setString(2, key);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return Optional.empty();
                }
                return Optional.of(new Stored(rows.getString(1),
                        new CommandResponse(rows.getInt(2), rows.getString(3), rows.getString(4), rows.getString(5), true)));
            }
        }
    }

    public void save(Connection connection, String principal, String key, String requestHash, UUID streamId,
            CommandResponse response) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotency_record"
                + " (principal, idempotency_key, request_hash, status, location, etag, body, stream_id)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, principal);
            insert.setString(2, key);
            insert.setString(3, requestHash);
            insert.setInt(4, response.status());
            insert.setString(5, response.location());
            insert.setString(6, response.etag());
            insert.setString(7, response.body());
            insert.setObject(8, streamId);
            insert.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new KeyTaken();
            }
            throw e;
        }
    }
}

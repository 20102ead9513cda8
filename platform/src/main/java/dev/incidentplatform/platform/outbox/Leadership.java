package dev.incidentplatform.platform.outbox;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One leader per subscription across the instances of a service: the one holding a session-level PostgreSQL advisory
 * lock, on a connection of its own in autocommit mode (so no transaction stays open for it). The lock ends with the
 * session, so a killed leader's lock is gone as soon as PostgreSQL notices the connection is.
 */
final class Leadership {

    private final long key;

    Leadership(String subscription) {
        this.key = key(subscription);
    }

    /** The lock's key: the first 8 bytes of SHA-256("outbox:" + the subscription's name). */
    static long key(String subscription) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("outbox:" + subscription).getBytes(StandardCharsets.UTF_8));
            return ByteBuffer.wrap(digest).getLong();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    boolean tryAcquire(Connection session) throws SQLException {
        try (PreparedStatement lock = session.prepareStatement("SELECT pg_try_advisory_lock(?) AS acquired")) {
            lock.setLong(1, key);
            try (ResultSet rows = lock.executeQuery()) {
                rows.next();
                return rows.getBoolean("acquired");
            }
        }
    }

    /** Best effort: closing the session releases the lock anyway. */
    void release(Connection session) {
        try (PreparedStatement unlock = session.prepareStatement("SELECT pg_advisory_unlock(?)")) {
            unlock.setLong(1, key);
            unlock.execute();
        } catch (SQLException e) {
            // The session is gone or going, and its locks with it.
        }
    }
}

package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes a subscriber as soon as an appending transaction commits ({@code LISTEN <channel>}, sent by a trigger on the
 * table), so it need not poll on a fixed period; without a channel it only sleeps (the fallback poll).
 */
final class Wakeups {

    private final PGConnection connection;

    private Wakeups(PGConnection connection) {
        this.connection = connection;
    }

    static Wakeups listen(Connection session, String channel) throws SQLException {
        if (channel == null) {
            return new Wakeups(null);
        }
        if (!channel.matches("[a-z_][a-z0-9_]*")) {
            throw new IllegalArgumentException("Not a channel name: " + channel);
        }
        try (Statement listen = session.createStatement()) {
            listen.execute("LISTEN " + channel);
        }
        return new Wakeups(session.unwrap(PGConnection.class));
    }

    /** Waits up to {@code timeout} for a commit (returns at once if one came meanwhile); true if one came. */
    boolean await(Duration timeout) throws SQLException, InterruptedException {
        if (connection == null) {
            Thread.sleep(Math.max(1, timeout.toMillis()));
            return false;
        }
        PGNotification[] notifications = connection.getNotifications((int) Math.max(1, timeout.toMillis()));
        return notifications != null && notifications.length > 0;
    }
}

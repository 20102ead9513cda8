package dev.incidentplatform.incident.eventstore;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes a reader of the event store as soon as an appending transaction commits ({@code LISTEN event_appended}, sent
 * by a trigger on the event table), so it need not poll on a fixed period. The connection is the reader's own.
 */
public final class EventNotifications {

    public static final String CHANNEL = "event_appended";

    private final PGConnection connection;

    private EventNotifications(PGConnection connection) {
        this.connection = connection;
    }

    public static EventNotifications listen(Connection connection) throws SQLException {
        try (Statement listen = connection.createStatement()) {
            listen.execute("LISTEN " + CHANNEL);
        }
        return new EventNotifications(connection.unwrap(PGConnection.class));
    }

    /** Waits up to {@code timeout} for an append (returns at once if one came meanwhile); true if one came. */
    public boolean await(Duration timeout) throws SQLException {
        PGNotification[] notifications = connection.getNotifications((int) Math.max(1, timeout.toMillis()));
        return notifications != null && notifications.length > 0;
    }
}

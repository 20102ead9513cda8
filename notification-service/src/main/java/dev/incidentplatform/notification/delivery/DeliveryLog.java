package dev.incidentplatform.notification.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

/** The delivery rows as an audit log: who was sent what, when, after how many attempts, or why not. */
@ApplicationScoped
public class DeliveryLog {

    public static final Set<String> STATUSES = Set.of("pending", "sending", "sent", "failed", "cancelled", "coalesced");

    private final DataSource dataSource;

    public DeliveryLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Entry(UUID id, UUID eventId, String eventType, UUID incidentId, UUID subscriberId, String status,
            int attempts, Instant nextAttemptAt, String lastError, String messageId, UUID coveredBy, String claimedBy,
            Instant createdAt, Instant sentAt) {
    }

    public record Page(List<Entry> items, long totalItems) {
    }

    public Page list(UUID incidentId, UUID subscriberId, String status, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (incidentId != null) {
            where.append(" AND d.incident_id = ?");
            parameters.add(incidentId);
        }
        if (subscriberId != null) {
            where.append(" AND d.subscriber_id = ?");
            parameters.add(subscriberId);
        }
        if (status != null) {
            where.append(" AND d.status = ?");
            parameters.add(status);
        }
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM delivery d" + where)) {
                bind(count, parameters);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            List<Entry> entries = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT d.id, d.event_id, n.event_type, d.incident_id, d.subscriber_id, d.status, d.attempts,
                           d.next_attempt_at, d.last_error, d.message_id, d.covered_by, d.claimed_by, d.created_at, d.sent_at
                    FROM delivery d JOIN notice n ON n.event_id = d.event_id""" + where
                    + " ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?")) {
                bind(query, parameters);
                query.setInt(parameters.size() + 1, size);
                query.setLong(parameters.size() + 2, (long) page * size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new Entry(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getString(3),
                                rows.getObject(4, UUID.class), rows.getObject(5, UUID.class), rows.getString(6), rows.getInt(7),
                                instant(rows, 8), rows.getString(9), rows.getString(10), rows.getObject(11, UUID.class),
                                rows.getString(12), instant(rows, 13), instant(rows, 14)));
                    }
                }
            }
            return new Page(entries, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts per status (every status present, zero when none), for one incident or all. */
    public Map<String, Long> stats(UUID incidentId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : List.of("pending", "sending", "sent", "failed", "cancelled", "coalesced")) {
            counts.put(status, 0L);
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT status, count(*) FROM delivery WHERE (?::uuid IS NULL OR incident_id = ?::uuid) GROUP BY status")) {
            query.setObject(1, incidentId);
            query.setObject(2, incidentId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    counts.put(rows.getString(1), rows.getLong(2));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        counts.put("total", counts.values().stream().mapToLong(Long::longValue).sum());
        return counts;
    }

    private static Instant instant(ResultSet rows, int column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}

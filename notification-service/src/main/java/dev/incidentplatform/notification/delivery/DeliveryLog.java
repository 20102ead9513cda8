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
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The delivery rows as an audit log: who was sent what, when, after how many attempts, or why not. */
@ApplicationScoped
public class DeliveryLog {

    public static final List<String> STATUSES = List.of("pending", "sending", "sent", "failed", "cancelled", "coalesced");

    private final DataSource dataSource;

    public DeliveryLog(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Schema(name = "Delivery", description = "One (event, subscriber) and what became of it")
    public record Entry(
            @Schema(required = true, implementation = String.class, format = "uuid") UUID id,
            @Schema(required = true, implementation = String.class, format = "uuid") UUID eventId,
            @Schema(required = true) String eventType,
            @Schema(nullable = true, implementation = String.class, format = "uuid",
                    description = "null for a credit notice") UUID incidentId,
            @Schema(required = true, implementation = String.class, format = "uuid") UUID subscriberId,
            @Schema(required = true, enumeration = { "pending", "sending", "sent", "failed", "cancelled", "coalesced" })
            String status,
            @Schema(required = true) int attempts,
            @Schema(nullable = true, implementation = String.class, format = "date-time") Instant nextAttemptAt,
            @Schema(nullable = true, description = "The SMTP reply or why it was cancelled") String lastError,
            @Schema(nullable = true) String messageId,
            @Schema(nullable = true, implementation = String.class, format = "uuid",
                    description = "The delivery whose email covered this one (coalesced)") UUID coveredBy,
            @Schema(nullable = true, description = "instance#thread of the sender") String claimedBy,
            @Schema(required = true, implementation = String.class, format = "date-time") Instant createdAt,
            @Schema(nullable = true, implementation = String.class, format = "date-time") Instant sentAt) {
    }

    /** Deliveries per status, every status present (zero when none), and their total. */
    @Schema(name = "DeliveryStats")
    public record Stats(@Schema(required = true) long pending, @Schema(required = true) long sending,
            @Schema(required = true) long sent, @Schema(required = true) long failed, @Schema(required = true) long cancelled,
            @Schema(required = true, description = "Covered by another email of the same thread") long coalesced,
            @Schema(required = true) long total) {
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

    /** Counts per status, for one incident or all. */
    public Stats stats(UUID incidentId) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String status : STATUSES) {
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
        return new Stats(counts.get("pending"), counts.get("sending"), counts.get("sent"), counts.get("failed"),
                counts.get("cancelled"), counts.get("coalesced"), counts.values().stream().mapToLong(Long::longValue).sum());
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

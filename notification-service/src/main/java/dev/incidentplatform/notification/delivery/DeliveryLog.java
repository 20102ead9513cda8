package dev.incidentplatform.notification.delivery;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.incidentplatform.notification.channel.Channel;
import io.quarkus.arc.All;

/**
 * The delivery rows as an audit log: who was sent what, on which channel, when, after how many attempts, or why not.
 */
@ApplicationScoped
public class DeliveryLog {

    public static final List<String> STATUSES = List.of("pending", "sending", "sent", "failed", "cancelled", "coalesced");

    private final DataSource dataSource;
    private final List<String> channels;

    public DeliveryLog(DataSource dataSource, @All List<Channel> channels) {
        this.dataSource = dataSource;
        this.channels = channels.stream().map(Channel::name).sorted().toList();
    }

    @Schema(name = "Delivery", description = "One (event, recipient, channel) and what became of it")
    public record Entry(
            @Schema(required = true, implementation = String.class, format = "uuid") UUID id,
            @Schema(required = true, implementation = String.class, format = "uuid") UUID eventId,
            @Schema(required = true) String eventType,
            @Schema(nullable = true, implementation = String.class, format = "uuid",
                    description = "null for a credit notice") UUID incidentId,
            @Schema(required = true, description = "How the recipient is reached: email, webhook",
                    pattern = "^" + Channel.NAME_PATTERN + "$", examples = "email") String channel,
            @Schema(required = true, implementation = String.class, format = "uuid",
                    description = "The subscriber (email) or webhook endpoint (webhook) it goes to") UUID recipientId,
            @Schema(required = true, enumeration = { "pending", "sending", "sent", "failed", "cancelled", "coalesced" })
            String status,
            @Schema(required = true) int attempts,
            @Schema(nullable = true, implementation = String.class, format = "date-time") Instant nextAttemptAt,
            @Schema(nullable = true, description = "The other side's reply (SMTP, HTTP) or why it was cancelled") String lastError,
            @Schema(required = true, description = "The first delivery of its incident to this recipient on this channel"
                    + " (an email that starts the thread rather than replying to it)") boolean opensThread,
            @Schema(nullable = true, implementation = String.class, format = "uuid",
                    description = "The delivery that carried this one's notice (coalesced)") UUID coveredBy,
            @Schema(nullable = true, description = "instance#thread of the sender") String claimedBy,
            @Schema(required = true, implementation = String.class, format = "date-time") Instant createdAt,
            @Schema(nullable = true, implementation = String.class, format = "date-time") Instant sentAt) {
    }

    /** Deliveries per status, every status present (zero when none), and their total. */
    @Schema(name = "DeliveryCounts")
    public record Counts(@Schema(required = true) long pending, @Schema(required = true) long sending,
            @Schema(required = true) long sent, @Schema(required = true) long failed, @Schema(required = true) long cancelled,
            @Schema(required = true, description = "Carried by another delivery of the same thread") long coalesced,
            @Schema(required = true) long total) {

        static Counts of(Map<String, Long> perStatus) {
            return new Counts(perStatus.getOrDefault("pending", 0L), perStatus.getOrDefault("sending", 0L),
                    perStatus.getOrDefault("sent", 0L), perStatus.getOrDefault("failed", 0L),
                    perStatus.getOrDefault("cancelled", 0L), perStatus.getOrDefault("coalesced", 0L),
                    perStatus.values().stream().mapToLong(Long::longValue).sum());
        }
    }

    /** The counts over every channel, and per channel (each channel of this service present, zero when none). */
    @Schema(name = "DeliveryStats")
    public record Stats(@Schema(required = true) long pending, @Schema(required = true) long sending,
            @Schema(required = true) long sent, @Schema(required = true) long failed, @Schema(required = true) long cancelled,
            @Schema(required = true, description = "Carried by another delivery of the same thread") long coalesced,
            @Schema(required = true) long total,
            @Schema(required = true, description = "The same counts per channel, by channel name") Map<String, Counts> channels) {
    }

    public record Page(List<Entry> items, long totalItems) {
    }

    /** Which deliveries to list; a null field does not filter. */
    public record Filter(UUID incidentId, UUID recipientId, String channel, String status) {
    }

    public Page list(Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (filter.incidentId() != null) {
            where.append(" AND d.incident_id = ?");
            parameters.add(filter.incidentId());
        }
        if (filter.recipientId() != null) {
            where.append(" AND d.recipient_id = ?");
            parameters.add(filter.recipientId());
        }
        if (filter.channel() != null) {
            where.append(" AND d.channel = ?");
            parameters.add(filter.channel());
        }
        if (filter.status() != null) {
            where.append(" AND d.status = ?");
            parameters.add(filter.status());
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
                    SELECT d.id, d.event_id, n.event_type, d.incident_id, d.channel, d.recipient_id, d.status, d.attempts,
                           d.next_attempt_at, d.last_error, d.opens_thread, d.covered_by, d.claimed_by, d.created_at, d.sent_at
                    FROM delivery d JOIN notice n ON n.event_id = d.event_id""" + where
                    + " ORDER BY d.created_at DESC, d.id LIMIT ? OFFSET ?")) {
                bind(query, parameters);
                query.setInt(parameters.size() + 1, size);
                query.setLong(parameters.size() + 2, (long) page * size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        entries.add(new Entry(rows.getObject("id", UUID.class), rows.getObject("event_id", UUID.class),
                                rows.getString("event_type"), rows.getObject("incident_id", UUID.class), rows.getString("channel"),
                                rows.getObject("recipient_id", UUID.class), rows.getString("status"), rows.getInt("attempts"),
                                instant(rows, "next_attempt_at"), rows.getString("last_error"), rows.getBoolean("opens_thread"),
                                rows.getObject("covered_by", UUID.class), rows.getString("claimed_by"), instant(rows, "created_at"),
                                instant(rows, "sent_at")));
                    }
                }
            }
            return new Page(entries, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts per status, over all channels and per channel, for one incident or all. */
    public Stats stats(UUID incidentId) {
        Map<String, Map<String, Long>> perChannel = new TreeMap<>();
        channels.forEach(channel -> perChannel.put(channel, new HashMap<>()));
        Map<String, Long> overall = new HashMap<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT channel, status, count(*) FROM delivery WHERE (?::uuid IS NULL OR incident_id = ?::uuid)
                        GROUP BY channel, status""")) {
            query.setObject(1, incidentId);
            query.setObject(2, incidentId);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    perChannel.computeIfAbsent(rows.getString(1), c -> new HashMap<>()).put(rows.getString(2), rows.getLong(3));
                    overall.merge(rows.getString(2), rows.getLong(3), Long::sum);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        Counts all = Counts.of(overall);
        Map<String, Counts> counts = new LinkedHashMap<>();
        perChannel.forEach((channel, perStatus) -> counts.put(channel, Counts.of(perStatus)));
        return new Stats(all.pending(), all.sending(), all.sent(), all.failed(), all.cancelled(), all.coalesced(), all.total(),
                counts);
    }

    private static Instant instant(ResultSet rows, String column) throws SQLException {
        OffsetDateTime value = rows.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }
}

package dev.incidentplatform.platform.consume;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;

import io.quarkus.arc.properties.IfBuildProperty;

/**
 * The {@code parked_event} table of the service's own database: every record its consumer group parked, with the
 * record itself (key, headers, value: what a replay needs) and the reason. One row per record: parking the same
 * record again (it was redelivered before its offset was committed) updates the row.
 */
@IfBuildProperty(name = "platform.consume.enabled", stringValue = "true")
@ApplicationScoped
public class ParkedEvents {

    private static final String COLUMNS = """
            id, replayed_at, consumer_group, topic, partition, "offset", record_timestamp, record_key, event_id,
            event_type, cause, reason, exception_class, attempts, dead_letter_topic, parked_at, last_replay_failure,
            headers, value""";

    private final DataSource dataSource;
    private final ObjectMapper json;

    public ParkedEvents(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** What parking a record writes. */
    record Parking(String consumerGroup, ConsumerRecord<String, byte[]> record, String eventId, String eventType,
            String cause, String reason, String exceptionClass, int attempts, String deadLetterTopic) {
    }

    /** Stores the parked record (committed when this returns) and answers its id. */
    UUID park(Parking parking) throws SQLException {
        ConsumerRecord<String, byte[]> record = parking.record();
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO parked_event (id, consumer_group, topic, partition, "offset", record_timestamp, record_key,
                    headers, value, event_id, event_type, cause, reason, exception_class, attempts, dead_letter_topic)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (consumer_group, topic, partition, "offset") DO UPDATE SET
                    cause = excluded.cause, reason = excluded.reason, exception_class = excluded.exception_class,
                    attempts = parked_event.attempts + excluded.attempts, parked_at = now(), replayed_at = NULL
                RETURNING id""")) {
            insert.setObject(1, UUID.randomUUID());
            insert.setString(2, parking.consumerGroup());
            insert.setString(3, record.topic());
            insert.setInt(4, record.partition());
            insert.setLong(5, record.offset());
            insert.setTimestamp(6, record.timestamp() < 0 ? null : new Timestamp(record.timestamp()));
            insert.setString(7, record.key());
            insert.setString(8, headersJson(record));
            insert.setBytes(9, record.value());
            insert.setString(10, parking.eventId());
            insert.setString(11, parking.eventType());
            insert.setString(12, parking.cause());
            insert.setString(13, parking.reason());
            insert.setString(14, parking.exceptionClass());
            insert.setInt(15, parking.attempts());
            insert.setString(16, parking.deadLetterTopic());
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return row.getObject(1, UUID.class);
            }
        }
    }

    public Page page(int page, int size) {
        try (Connection connection = dataSource.getConnection()) {
            List<ParkedEvent> items = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS
                    + " FROM parked_event ORDER BY parked_at DESC, id DESC LIMIT ? OFFSET ?")) {
                query.setInt(1, size);
                query.setLong(2, (long) page * size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        items.add(event(rows));
                    }
                }
            }
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM parked_event");
                    ResultSet row = count.executeQuery()) {
                row.next();
                return new Page(items, row.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A page of parked events, newest first, and how many there are in all. */
    public record Page(List<ParkedEvent> items, long totalItems) {
    }

    public Optional<ParkedEvent> find(UUID id) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT " + COLUMNS + " FROM parked_event WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(event(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The parked record as it was consumed: what a replay hands to the handler. */
    ConsumerRecord<String, byte[]> record(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement("""
                SELECT topic, partition, "offset", record_timestamp, record_key, headers, value
                FROM parked_event WHERE id = ?""")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalStateException("No parked event " + id);
                }
                Timestamp timestamp = row.getTimestamp("record_timestamp");
                RecordHeaders headers = new RecordHeaders();
                for (JsonNode header : read(row.getString("headers"))) {
                    headers.add(new RecordHeader(header.get("name").asText(),
                            header.get("value").isNull() ? null : Base64.getDecoder().decode(header.get("value").asText())));
                }
                byte[] value = row.getBytes("value");
                return new ConsumerRecord<>(row.getString("topic"), row.getInt("partition"), row.getLong("offset"),
                        timestamp == null ? ConsumerRecord.NO_TIMESTAMP : timestamp.getTime(), TimestampType.CREATE_TIME,
                        ConsumerRecord.NULL_SIZE, value == null ? ConsumerRecord.NULL_SIZE : value.length, row.getString("record_key"),
                        value, headers, Optional.empty());
            }
        }
    }

    /** Marks the event replayed, once: a second successful replay keeps the first one's time. */
    void markReplayed(UUID id) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE parked_event SET replayed_at = now(), last_replay_failure = NULL WHERE id = ? AND replayed_at IS NULL")) {
            update.setObject(1, id);
            update.executeUpdate();
        }
    }

    void recordReplayFailure(UUID id, String reason) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement update = connection.prepareStatement(
                "UPDATE parked_event SET last_replay_failure = ? WHERE id = ? AND replayed_at IS NULL")) {
            update.setString(1, reason);
            update.setObject(2, id);
            update.executeUpdate();
        }
    }

    /** How many parked events wait for a replay, and since when the oldest has. */
    Waiting waiting() throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*), min(parked_at) FROM parked_event WHERE replayed_at IS NULL");
                ResultSet row = query.executeQuery()) {
            row.next();
            Timestamp oldest = row.getTimestamp(2);
            return new Waiting(row.getLong(1), oldest == null ? null : oldest.toInstant());
        }
    }

    record Waiting(long count, Instant oldest) {
    }

    private ParkedEvent event(ResultSet row) throws SQLException {
        Timestamp recorded = row.getTimestamp("record_timestamp");
        Timestamp replayed = row.getTimestamp("replayed_at");
        List<ParkedEvent.Header> headers = new ArrayList<>();
        for (JsonNode header : read(row.getString("headers"))) {
            JsonNode value = header.get("value");
            headers.add(new ParkedEvent.Header(header.get("name").asText(),
                    value.isNull() ? null : text(Base64.getDecoder().decode(value.asText()))));
        }
        byte[] value = row.getBytes("value");
        return new ParkedEvent(row.getObject("id", UUID.class), replayed == null ? ParkedEvent.PARKED : ParkedEvent.REPLAYED,
                row.getString("consumer_group"), row.getString("topic"), row.getInt("partition"), row.getLong("offset"),
                recorded == null ? null : recorded.toInstant(), row.getString("record_key"), row.getString("event_id"),
                row.getString("event_type"), row.getString("cause"), row.getString("reason"),
                row.getString("exception_class"), row.getInt("attempts"), row.getString("dead_letter_topic"),
                row.getTimestamp("parked_at").toInstant(), replayed == null ? null : replayed.toInstant(),
                row.getString("last_replay_failure"), headers, value == null ? null : text(value));
    }

    /** UTF-8 text, malformed bytes replaced (the exact bytes stay in the table and on the dead-letter topic). */
    private static String text(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException(e);
        }
    }

    private String headersJson(ConsumerRecord<String, byte[]> record) {
        ArrayNode headers = json.createArrayNode();
        for (Header header : record.headers()) {
            headers.addObject().put("name", header.key())
                    .put("value", header.value() == null ? null : Base64.getEncoder().encodeToString(header.value()));
        }
        return headers.toString();
    }

    private JsonNode read(String text) {
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

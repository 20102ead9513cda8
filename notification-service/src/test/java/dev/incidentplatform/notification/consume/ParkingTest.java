package dev.incidentplatform.notification.consume;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.FaultInjectingFanOut;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * An event the fan-out cannot apply is parked after its attempts (in parked_event and on the dead-letter topic) while
 * the events behind it on its partition are applied, and a replay after the fix applies it once; all on the real
 * broker and database.
 */
@QuarkusTest
class ParkingTest {

    private static final String PARKED = "/api/admin/parked-events";

    @Inject
    DataSource dataSource;

    @Test
    void anEventTheDatabaseRefusesIsParkedAfterItsAttemptsTheEventsBehindItAreAppliedAndAReplayAnswers422() {
        String service = Api.unique("nul");
        String address = "nul@" + Api.unique("nul") + ".example.test";
        Api.createSubscriber(address, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        List<TestEvents.Comp> components = List.of(component(service, "major_outage", "global"));
        // Valid by its contract, but PostgreSQL text cannot hold U+0000: storing it fails the same way every time.
        Map<String, Object> poison = TestEvents.incidentOpened(incidentId, "Storage \u0000 down", "SEV2", components);
        TestEvents.publish(poison);
        // Same incident, so the same key and partition: reached only past the poison event.
        TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "identified", "Found it.", components));

        assertThat(Mails.awaitTo(address, 1).get(0).subject()).contains("Identified");
        Map<String, Object> parked = awaitParked((String) poison.get("eventId"));
        assertThat(parked).containsEntry("cause", "failed").containsEntry("attempts", 5)
                .containsEntry("exception_class", "org.postgresql.util.PSQLException");
        assertThat((String) parked.get("reason")).contains("0x00");

        ConsumerRecord<String, byte[]> dead = deadLetter("incident-events.notification-service.dlq", incidentId.toString());
        assertThat(header(dead, "dead-letter-attempts")).isEqualTo("5");
        assertThat(header(dead, "dead-letter-consumer-group")).isEqualTo("notification-service");
        assertThat(header(dead, "dead-letter-offset")).isEqualTo(parked.get("offset").toString());
        assertThat(header(dead, "dead-letter-parked-event-id")).isEqualTo(parked.get("id").toString());
        assertThat(header(dead, "ce_id")).isEqualTo(poison.get("eventId"));

        String id = parked.get("id").toString();
        Api.admin().when().get(PARKED + "/" + id).then().statusCode(200).body("status", equalTo("parked"))
                .body("eventId", equalTo(poison.get("eventId"))).body("attempts", equalTo(5))
                .body("topic", equalTo("incident-events")).body("value", containsString("Storage"));
        Api.admin().when().post(PARKED + "/" + id + "/replay").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("0x00"));
        Api.admin().when().get(PARKED + "/" + id).then().statusCode(200).body("status", equalTo("parked"))
                .body("lastReplayFailure", containsString("0x00"));
    }

    @Test
    void aParkedEventReplayedAfterTheFixIsAppliedOnceAndASecondReplayAnswersTheSame() throws SQLException {
        String service = Api.unique("replay");
        String address = "replay@" + Api.unique("replay") + ".example.test";
        Api.createSubscriber(address, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        List<TestEvents.Comp> components = List.of(component(service, "major_outage", "global"));
        Map<String, Object> opened = TestEvents.incidentOpened(incidentId, "Queue down", "SEV2", components);
        UUID eventId = UUID.fromString((String) opened.get("eventId"));
        FaultInjectingFanOut.breakFor(eventId);
        try {
            TestEvents.publish(opened);
            TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "identified", "Found it.", components));
            assertThat(Mails.awaitTo(address, 1).get(0).subject()).contains("Identified");
            awaitParked(eventId.toString());
        } finally {
            FaultInjectingFanOut.heal(eventId);
        }
        String id = awaitParked(eventId.toString()).get("id").toString();
        Response listed = Api.admin().queryParam("size", "500").when().get(PARKED);
        listed.then().statusCode(200);
        assertThat(listed.jsonPath().getList("items.id", String.class)).contains(id);
        assertThat(listed.jsonPath().getString("items[0].parkedAt"))
                .isGreaterThanOrEqualTo(listed.jsonPath().getString("items[-1].parkedAt"));

        Response first = Api.admin().when().post(PARKED + "/" + id + "/replay");
        first.then().statusCode(200).body("status", equalTo("replayed"));
        assertThat(count("SELECT count(*) FROM delivery WHERE event_id = ?", eventId)).isEqualTo(1);
        Response second = Api.admin().when().post(PARKED + "/" + id + "/replay");
        second.then().statusCode(200).body("status", equalTo("replayed"))
                .body("replayedAt", equalTo(first.jsonPath().getString("replayedAt")));

        assertThat(count("SELECT count(*) FROM delivery WHERE event_id = ?", eventId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM inbox WHERE event_id = ?", eventId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM notice WHERE event_id = ?", eventId)).isEqualTo(1);
    }

    @Test
    void anEventOfATypeThisServiceDoesNotReadIsPassedOverNotParked() throws SQLException {
        String service = Api.unique("skip");
        String address = "skip@" + Api.unique("skip") + ".example.test";
        Api.createSubscriber(address, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        String unknownId = UUID.randomUUID().toString();
        // A type a newer producer may add: the contracts tell consumers to skip it.
        TestEvents.send("incident-events", incidentId.toString(),
                ("{\"eventId\":\"" + unknownId + "\",\"eventType\":\"maintenance-scheduled\",\"schemaVersion\":1}")
                        .getBytes(StandardCharsets.UTF_8),
                Map.of("ce_specversion", "1.0", "ce_id", unknownId, "ce_type", "maintenance-scheduled",
                        "ce_source", "/incident-service", "content-type", "application/json"));
        TestEvents.publish(TestEvents.incidentOpened(incidentId, "Queue down", "SEV2",
                List.of(component(service, "major_outage", "global"))));

        assertThat(Mails.awaitTo(address, 1)).hasSize(1);
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT count(*) FROM parked_event WHERE event_id = ?")) {
            query.setString(1, unknownId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                assertThat(row.getLong(1)).isZero();
            }
        }
    }

    private Map<String, Object> awaitParked(String eventId) {
        return Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                    "SELECT id, cause, attempts, exception_class, reason, \"offset\" FROM parked_event WHERE event_id = ?")) {
                query.setString(1, eventId);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() ? Map.<String, Object>of("id", row.getObject(1), "cause", row.getString(2),
                            "attempts", row.getInt(3), "exception_class", row.getString(4), "reason", row.getString(5),
                            "offset", row.getLong(6)) : null;
                }
            }
        }, row -> row != null);
    }

    private long count(String sql, UUID eventId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, eventId);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        return new String(record.headers().lastHeader(name).value(), StandardCharsets.UTF_8);
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String topic, String key) {
        Properties properties = TestInfrastructure.kafka().clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            return Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
                return null;
            }, record -> record != null);
        }
    }
}

package dev.incidentplatform.compensation.outage;

import static dev.incidentplatform.compensation.Incidents.component;
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

import dev.incidentplatform.compensation.Api;
import dev.incidentplatform.compensation.Incidents;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * An event the handler cannot apply is parked after its attempts (in parked_event and on the dead-letter topic) while
 * the events behind it on its partition are applied, and a replay after the fix applies it once; all on the real
 * broker and database.
 */
@QuarkusTest
class ParkingTest {

    private static final String PARKED = "/api/admin/parked-events";
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;

    @Test
    void anEventTheDatabaseRefusesIsParkedAfterItsAttemptsTheEventsBehindItAreAppliedAndAReplayAnswers422() throws Exception {
        String vm = Api.uniqueService("nul");
        Incidents incident = new Incidents();
        Incidents.Event poison = incident.opened("2024-08-01T00:00:00Z", component(vm, "major_outage", "global"));
        // Valid by its contract, but PostgreSQL text cannot hold U+0000: storing it fails the same way every time.
        poison.payload().put("actor", "oncall\u0000@ops.example");
        Incidents.Event behind = incident.resolved("2024-08-01T01:00:00Z", component(vm, "operational", "global"));
        // Same incident: same key and partition, so the resolution is reached only past the poison event.
        Incidents.send(poison, behind);

        String poisonId = poison.payload().get("eventId").asText();
        Map<String, Object> parked = awaitParked(poisonId);
        Awaitility.await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM incident_event WHERE event_id = ?",
                UUID.fromString(behind.payload().get("eventId").asText())) == 1);
        assertThat(parked).containsEntry("cause", "failed").containsEntry("attempts", 5)
                .containsEntry("exception_class", "org.postgresql.util.PSQLException");
        assertThat((String) parked.get("reason")).contains("0x00");

        ConsumerRecord<String, byte[]> dead = deadLetter(incident.id().toString());
        assertThat(header(dead, "dead-letter-attempts")).isEqualTo("5");
        assertThat(header(dead, "dead-letter-consumer-group")).isEqualTo("compensation-service");
        assertThat(header(dead, "dead-letter-topic")).isEqualTo("incident-events");
        assertThat(header(dead, "dead-letter-offset")).isEqualTo(parked.get("offset").toString());
        assertThat(header(dead, "ce_id")).isEqualTo(poisonId);

        String id = parked.get("id").toString();
        Api.admin().when().post(PARKED + "/" + id + "/replay").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("0x00"));
        Api.admin().when().get(PARKED + "/" + id).then().statusCode(200).body("status", equalTo("parked"))
                .body("lastReplayFailure", containsString("0x00")).body("eventId", equalTo(poisonId));
    }

    @Test
    void aParkedEventReplayedAfterTheFixIsAppliedOnceAndASecondReplayAnswersTheSame() throws Exception {
        String vm = Api.uniqueService("replay");
        Incidents incident = new Incidents();
        Incidents.Event opened = incident.opened("2024-08-02T00:00:00Z", component(vm, "major_outage", "global"));
        Incidents.Event update = incident.update("identified", "2024-08-02T00:30:00Z", component(vm, "major_outage", "global"));
        UUID eventId = UUID.fromString(opened.payload().get("eventId").asText());
        FaultInjectingHandler.breakFor(eventId);
        String id;
        try {
            Incidents.send(opened, update);
            id = awaitParked(eventId.toString()).get("id").toString();
            Awaitility.await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM inbox WHERE event_id = ?",
                    UUID.fromString(update.payload().get("eventId").asText())) == 1);
        } finally {
            FaultInjectingHandler.heal(eventId);
        }
        assertThat(count("SELECT count(*) FROM inbox WHERE event_id = ?", eventId)).isZero();
        Response listed = Api.admin().queryParam("size", "500").when().get(PARKED);
        listed.then().statusCode(200);
        assertThat(listed.jsonPath().getList("items.id", String.class)).contains(id);

        Response first = Api.admin().when().post(PARKED + "/" + id + "/replay");
        first.then().statusCode(200).body("status", equalTo("replayed"));
        Api.admin().when().post(PARKED + "/" + id + "/replay").then().statusCode(200).body("status", equalTo("replayed"))
                .body("replayedAt", equalTo(first.jsonPath().getString("replayedAt")));
        assertThat(count("SELECT count(*) FROM inbox WHERE event_id = ?", eventId)).isEqualTo(1);
        assertThat(count("SELECT count(*) FROM incident_event WHERE event_id = ?", eventId)).isEqualTo(1);
    }

    @Test
    void anEventOfATypeThisServiceDoesNotReadIsPassedOverNotParked() throws Exception {
        String vm = Api.uniqueService("skip");
        Incidents incident = new Incidents();
        Incidents.Event opened = incident.opened("2024-08-03T00:00:00Z", component(vm, "major_outage", "global"));
        UUID unknownId = UUID.randomUUID();
        // A type a newer producer may add, on the same partition: the contracts tell consumers to skip it.
        Incidents.sendRaw(opened.incident().id().toString(),
                "{\"eventId\":\"" + unknownId + "\",\"eventType\":\"maintenance-scheduled\",\"schemaVersion\":1}",
                Incidents.cloudEventHeaders("maintenance-scheduled", unknownId.toString(), opened.incident().id().toString()));
        Incidents.send(opened);
        UUID openedId = UUID.fromString(opened.payload().get("eventId").asText());
        Awaitility.await().atMost(TIMEOUT).until(() -> count("SELECT count(*) FROM inbox WHERE event_id = ?", openedId) == 1);
        assertThat(count("SELECT count(*) FROM parked_event WHERE event_id = ?::text", unknownId)).isZero();
        assertThat(count("SELECT count(*) FROM inbox WHERE event_id = ?", unknownId)).isZero();
    }

    private Map<String, Object> awaitParked(String eventId) {
        return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(200)).until(() -> {
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

    private static ConsumerRecord<String, byte[]> deadLetter(String key) {
        Properties properties = TestInfrastructure.kafka().clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of("incident-events.compensation-service.dlq"));
            return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ZERO).until(() -> {
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

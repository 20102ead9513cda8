package dev.incidentplatform.incident.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.Api;
import dev.incidentplatform.incident.EventStoreTables;
import dev.incidentplatform.incident.IncidentTopic;
import dev.incidentplatform.incident.IncidentTopic.Received;
import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.outbox.Subscription;
import dev.incidentplatform.platform.outbox.Subscriptions;
import dev.incidentplatform.testsupport.EventContracts;
import dev.incidentplatform.testsupport.KafkaBroker;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;

/** What reaches the real broker: keys, CloudEvents headers, order, contract-valid payloads, exactly once. */
@QuarkusTest
class OutboxRelayTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Inject
    Subscriptions subscriptions;

    Subscription relay;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @BeforeEach
    void findTheRelay() {
        relay = subscriptions.subscription(IncidentEventStream.NAME);
    }

    @Test
    void eventsArriveKeyedByIncidentWithCloudEventsHeadersInOrderAndValidAgainstTheContracts() throws Exception {
        String id = Api.open();
        Api.update(id, "identified", "Found it");
        Api.update(id, "resolved", "Fixed");
        Api.writer().body(Map.of("rootCause", "Sensor content", "impactSummary", "5 h", "preventativeMeasures", List.of("Rings")))
                .when().post("/api/incidents/" + id + "/review").then().statusCode(201);
        List<EventStoreTables.Row> stored = EventStoreTables.stream(dataSource, id);

        List<Received> records = awaitAllPublished().stream().filter(r -> id.equals(r.key())).toList();

        assertThat(records).extracting(r -> r.header("ce_id"))
                .containsExactlyElementsOf(stored.stream().map(row -> row.eventId().toString()).toList());
        assertThat(records).extracting(Received::partition).containsOnly(records.get(0).partition());
        EventContracts contracts = EventContracts.fromRepository();
        for (int i = 0; i < records.size(); i++) {
            Received record = records.get(i);
            JsonNode payload = JSON.readTree(record.value());
            String type = stored.get(i).type();
            assertThat(record.header("ce_specversion")).isEqualTo("1.0");
            assertThat(record.header("ce_type")).isEqualTo(type).isEqualTo(payload.path("eventType").asText());
            assertThat(record.header("ce_source")).isEqualTo("/incident-service");
            assertThat(record.header("ce_subject")).isEqualTo(id);
            // RFC 3339 both, the same instant (the SDK writes the fraction without trailing zeros).
            assertThat(Instant.parse(record.header("ce_time"))).isEqualTo(Instant.parse(payload.path("occurredAt").asText()));
            assertThat(record.header("ce_dataschema"))
                    .isEqualTo("https://contracts.incident-platform.dev/" + type + "/v1/schema.json");
            assertThat(record.header("content-type")).isEqualTo("application/json");
            assertThat(payload.path("eventId").asText()).isEqualTo(record.header("ce_id"));
            assertThat(payload.path("streamVersion").asInt()).isEqualTo(i + 1);
            assertThat(payload.path("actor").asText()).isEqualTo(Api.WRITER);
            assertThat(contracts.validate(type, 1, record.value())).as(record.value()).isEmpty();
            assertThat(record.header("incident-position")).isNotBlank();
            // No caller's trace context was sent: the command began a trace of its own, which the event continues.
            assertThat(RequestHeaders.traceparent(record.header("ce_traceparent"))).as(record.header("ce_traceparent"))
                    .isNotNull();
        }
    }

    @Test
    void theCommandsTraceContextTravelsAsTheDistributedTracingExtension() {
        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String id = Api.writer().header("traceparent", traceparent).body(Api.openBody()).when().post("/api/incidents").then()
                .statusCode(201).extract().header("Location").replaceAll(".*/", "");

        List<Received> records = awaitAllPublished().stream().filter(r -> id.equals(r.key())).toList();

        assertThat(records).hasSize(1);
        // The caller's trace, its parent now the relay's publish span (a child of the command's append).
        assertThat(records.get(0).header("ce_traceparent")).startsWith("00-4bf92f3577b34da6a3ce929d0e0e4736-")
                .isNotEqualTo(traceparent).matches("00-[0-9a-f]{32}-[0-9a-f]{16}-01");
    }

    @Test
    void withTheBrokerStoppedCommandsStillSucceedAndEverythingIsPublishedOnceInOrderWhenItReturns() {
        KafkaBroker kafka = TestInfrastructure.kafka();
        List<String> incidents = new ArrayList<>();
        kafka.stop();
        try {
            for (int i = 0; i < 5; i++) {
                String id = Api.open();
                incidents.add(id);
                Api.update(id, "identified", "Found " + i);
                Api.update(id, "monitoring", "Watching " + i);
            }
        } finally {
            kafka.start();
        }
        List<Received> records = awaitAllPublished();
        for (String id : incidents) {
            assertThat(records.stream().filter(r -> id.equals(r.key())).map(r -> r.header("ce_id")).toList())
                    .containsExactlyElementsOf(EventStoreTables.stream(dataSource, id).stream().map(r -> r.eventId().toString()).toList());
        }
        assertExactlyTheEventStore(records);
    }

    @Test
    void aStoppedRelayResumesFromItsCheckpointWithoutGapsOrDuplicates() {
        Api.open();
        awaitAllPublished();
        relay.stop();
        try {
            for (int i = 0; i < 4; i++) {
                Api.update(Api.open(), "identified", "While the relay was stopped");
            }
        } finally {
            relay.start();
        }
        assertExactlyTheEventStore(awaitAllPublished());
    }

    @Test
    void aCheckpointBehindWhatKafkaHoldsIsMovedForwardNotRepublished() throws Exception {
        Api.update(Api.open(), "identified", "Before the simulated crash");
        awaitAllPublished();
        relay.stop();
        try (var connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            // What a crash between Kafka's commit and the checkpoint's leaves behind, at its worst.
            statement.executeUpdate("UPDATE checkpoint SET last_transaction_id = '0', last_position = 0"
                    + " WHERE name = 'relay:incident-events'");
        } finally {
            relay.start();
        }
        Api.open();
        assertExactlyTheEventStore(awaitAllPublished());
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> EventStoreTables.single(dataSource,
                "SELECT count(*) FROM event e, checkpoint c WHERE c.name = 'relay:incident-events'"
                        + " AND (e.transaction_id, e.position) > (c.last_transaction_id, c.last_position)") == 0);
    }

    /** Waits until the topic holds as many of this store's records as the store has events; returns them. */
    private List<Received> awaitAllPublished() {
        List<List<Received>> last = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100)).until(() -> {
            List<Received> records = IncidentTopic.readAll(bootstrapServers, "incident-events");
            last.clear();
            last.add(records);
            return records.size() >= EventStoreTables.count(dataSource);
        });
        return last.get(0);
    }

    /** Every event of the store exactly once on the topic, each partition in the store's commit-safe order. */
    private void assertExactlyTheEventStore(List<Received> records) {
        List<EventStoreTables.Row> events = EventStoreTables.events(dataSource);
        List<String> ids = records.stream().map(r -> r.header("ce_id")).toList();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).containsExactlyInAnyOrderElementsOf(events.stream().map(e -> e.eventId().toString()).toList());
        Map<String, Integer> order = new LinkedHashMap<>();
        for (int i = 0; i < events.size(); i++) {
            order.put(events.get(i).eventId().toString(), i);
        }
        Map<Integer, List<Received>> byPartition = records.stream()
                .collect(Collectors.groupingBy(Received::partition, Collectors.toList()));
        for (List<Received> partition : byPartition.values()) {
            List<Integer> positions = partition.stream().map(r -> order.get(r.header("ce_id"))).toList();
            assertThat(positions).isSorted();
        }
        Set<String> keys = records.stream().map(Received::key).collect(Collectors.toSet());
        for (String key : keys) {
            assertThat(records.stream().filter(r -> key.equals(r.key())).map(r -> {
                try {
                    return JSON.readTree(r.value()).path("streamVersion").asInt();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }).toList()).as("versions of " + key).isSorted().doesNotHaveDuplicates();
        }
    }
}

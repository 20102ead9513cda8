package dev.incidentplatform.incident.hostile;

import static dev.incidentplatform.incident.Api.open;
import static dev.incidentplatform.incident.Api.writer;

import java.net.URI;
import java.net.URL;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.incidentplatform.incident.Api;
import dev.incidentplatform.incident.EventStoreTables;
import dev.incidentplatform.incident.projection.ReadModelProjection;
import dev.incidentplatform.incident.relay.IncidentEventStream;
import dev.incidentplatform.testsupport.TestTokens;
import dev.incidentplatform.testsupport.contract.HostileSuite;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Every case of hostile/incident-service.json, sent as raw bytes to the running service on real PostgreSQL and Kafka:
 * each must be a 4xx problem+json that the OpenAPI document describes, betrays nothing of the implementation, and
 * changes nothing: no row in any of the service's tables and no record on incident-events.
 */
@QuarkusTest
class HostileInputTest {

    /** Every table of the service (V1, V2): a refused request leaves each row count as it was. */
    private static final List<String> TABLES = List.of("event", "event_store_identity", "idempotency_record", "checkpoint",
            "incident_summary", "incident_component", "component_status", "projection_rebuild");

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrapServers;

    @ConfigProperty(name = "incident.relay.topic")
    String topic;

    @TestHTTPResource("/")
    URL base;

    @TestFactory
    Stream<DynamicTest> everyHostileRequestIsRefusedWithAProblemAndChangesNothing() {
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("incident", open());
        String resolved = open();
        Api.update(resolved, "resolved", "Fixed.");
        variables.put("resolved", resolved);
        String usedKey = "hostile-" + UUID.randomUUID();
        writer().header("Idempotency-Key", usedKey).body(Api.openBody()).when().post("/api/incidents").then().statusCode(201);
        variables.put("usedKey", usedKey);
        awaitRelayedAndProjected();
        KafkaConsumer<byte[], byte[]> consumer = consumer();
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
        consumer.assign(partitions);
        HostileSuite.Target target = new HostileSuite.Target() {
            @Override
            public URI base() {
                return URI.create(base.toString());
            }

            @Override
            public String token(String role) {
                return switch (role) {
                    case "writer" -> TestTokens.forRoles(Api.WRITER, "incident-writer");
                    case "reader" -> TestTokens.forRoles("viewer@ops.example", "incident-reader");
                    case "stranger" -> TestTokens.forRoles("billing@ops.example", "billing-admin");
                    case "expired" -> TestTokens.expired(Api.WRITER, "incident-writer");
                    case "forged" -> TestTokens.signedByStranger(Api.WRITER, "incident-writer");
                    default -> throw new IllegalArgumentException("No token for the role " + role);
                };
            }

            @Override
            public Map<String, Long> state() {
                Map<String, Long> state = new LinkedHashMap<>();
                for (String table : TABLES) {
                    state.put(table, EventStoreTables.single(dataSource, "SELECT count(*) FROM " + table));
                }
                consumer.endOffsets(partitions, Duration.ofSeconds(30))
                        .forEach((partition, end) -> state.put(partition.toString(), end));
                return state;
            }

            @Override
            public Map<String, String> variables() {
                return variables;
            }
        };
        return Stream.concat(HostileSuite.run("hostile/incident-service.json", target),
                Stream.of(DynamicTest.dynamicTest("close the offsets consumer", consumer::close)));
    }

    /** Earlier tests' events still on their way to Kafka or the read models would look like a change. */
    private void awaitRelayedAndProjected() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() ->
                EventStoreTables.single(dataSource, "SELECT count(*) FROM event e, checkpoint c WHERE c.name IN ('"
                        + IncidentEventStream.CHECKPOINT + "', '" + ReadModelProjection.CHECKPOINT + "') AND (e.transaction_id, e.position)"
                        + " > (c.last_transaction_id, c.last_position)") == 0
                        && EventStoreTables.single(dataSource, "SELECT count(*) FROM projection_rebuild WHERE state = 'running'") == 0);
    }

    private KafkaConsumer<byte[], byte[]> consumer() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
        return new KafkaConsumer<>(properties, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}

package dev.incidentplatform.compensation;


import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;
import dev.incidentplatform.testsupport.contract.HostileSuite;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The hostile-input cases of {@code hostile/compensation-service.json}, sent over a raw socket to the service on real
 * PostgreSQL and Kafka: each must be a 4xx problem+json that betrays nothing and changes nothing — no row in any
 * table and no record on the topics this service produces to (credit-events and the dead-letter topic).
 */
@QuarkusTest
class HostileInputTest {

    private static final List<String> TABLES = List.of("inbox", "parked_event", "policy_version", "contract",
            "contract_version", "incident_event", "outage_window", "credit_decision", "credit", "idempotency_record",
            "checkpoint");
    private static final List<String> TOPICS = List.of("credit-events", "incident-events.compensation-service.dlq");
    private static final String ADMIN = "admin@billing.example";

    @Inject
    DataSource dataSource;

    @TestFactory
    Stream<DynamicTest> everyHostileRequestIsRefusedWithAProblemAndChangesNothing() {
        // An existing contract and an Idempotency-Key already answered, for the cases that refer to them.
        UUID contract = Api.contract("hostile-target-" + UUID.randomUUID(), Api.uniqueService("hostile"), List.of("global"),
                "100.00", "USD", "azure-99.9", "2024-01");
        String usedKey = "hostile-" + UUID.randomUUID();
        Api.admin().header("Idempotency-Key", usedKey).contentType("application/json").body(Map.of("customerId",
                "hostile-key-" + UUID.randomUUID(), "service", "hostile", "regions", List.of("global"), "monthlyFee",
                Map.of("amount", "1.00", "currency", "USD"), "policyId", "azure-99.9", "effectiveFrom", "2024-01"))
                .when().post("/api/contracts").then().statusCode(201);
        Admin admin = Admin.create(TestInfrastructure.kafka().clientProperties());
        Target target = new Target(Map.of("contractId", contract.toString(), "usedKey", usedKey), admin);
        // Earlier tests' events and credits may still be on their way: start from a state that holds still.
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(target.state());
        Awaitility.await().atMost(Duration.ofSeconds(60)).during(Duration.ofMillis(1500)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    Map<String, Long> now = target.state();
                    return now.equals(last.getAndSet(now));
                });
        return HostileSuite.run("hostile/compensation-service.json", target).onClose(admin::close);
    }

    private final class Target implements HostileSuite.Target {

        private final Map<String, String> variables;
        private final Admin admin;

        Target(Map<String, String> variables, Admin admin) {
            this.variables = variables;
            this.admin = admin;
        }

        @Override
        public URI base() {
            return URI.create(ConfigProvider.getConfig().getValue("test.url", String.class));
        }

        @Override
        public String token(String role) {
            return switch (role) {
                case "admin" -> TestTokens.forRoles(ADMIN, "billing-admin");
                case "auditor" -> TestTokens.forRoles("auditor@billing.example", "billing-auditor");
                case "other" -> TestTokens.forRoles("writer@ops.example", "incident-writer");
                default -> throw new IllegalArgumentException("No role " + role + " in this suite");
            };
        }

        @Override
        public Map<String, Long> state() {
            Map<String, Long> state = new LinkedHashMap<>();
            try (Connection c = dataSource.getConnection()) {
                for (String table : TABLES) {
                    try (PreparedStatement count = c.prepareStatement("SELECT count(*) FROM " + table);
                            ResultSet rows = count.executeQuery()) {
                        rows.next();
                        state.put(table, rows.getLong(1));
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
            try {
                for (String topic : TOPICS) {
                    var partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic)
                            .partitions().stream().map(p -> new TopicPartition(topic, p.partition())).toList();
                    var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                            .all().get(10, TimeUnit.SECONDS);
                    state.put(topic + " end offsets", ends.values().stream().mapToLong(e -> e.offset()).sum());
                }
            } catch (Exception e) {
                throw new IllegalStateException("Could not read the topics' end offsets", e);
            }
            return state;
        }

        @Override
        public Map<String, String> variables() {
            return variables;
        }
    }

}

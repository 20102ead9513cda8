package dev.incidentplatform.notification.contract;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Webhooks;
import dev.incidentplatform.notification.unsubscribe.UnsubscribeLinks;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;
import dev.incidentplatform.testsupport.contract.HostileSuite;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;

/**
 * Every case of {@code hostile/notification-service.json} against the running service on real PostgreSQL and Kafka:
 * a 4xx problem that leaks nothing and that the OpenAPI document describes, and no change to any table (row counts,
 * and the subscribers' versions and unsubscriptions) nor to the topics this service produces to (its dead-letter
 * topics).
 */
@QuarkusTest
class HostileInputTest {

    private static final List<String> TABLES = List.of("inbox", "subscriber", "incident", "notice", "delivery", "parked_event",
            "webhook_endpoint", "idempotency_record");
    private static final List<String> PRODUCED_TOPICS = List.of("incident-events.notification-service.dlq",
            "credit-events.notification-service.dlq");
    private static Admin admin;

    @Inject
    DataSource dataSource;

    @Inject
    UnsubscribeLinks links;

    @TestFactory
    Stream<DynamicTest> everyHostileRequestIsRefusedWithAProblemAndChangesNothing() {
        String email = "hostile-target@" + Api.unique("hostile") + ".example.test";
        UUID subscriber = Api.createSubscriber(email, List.of(Api.unique("hostile")), List.of());
        UUID webhook = Webhooks.create("http://127.0.0.1:9/hostile", "generic", List.of(Api.unique("hostile")), null).id();
        HostileSuite.Target target = new HostileSuite.Target() {
            @Override
            public URI base() {
                return URI.create("http://localhost:" + RestAssured.port);
            }

            @Override
            public String token(String role) {
                return switch (role) {
                    case "admin" -> TestTokens.forRoles("hostile@ops.example", "subscriber-admin");
                    case "writer" -> TestTokens.forRoles("hostile@ops.example", "incident-writer");
                    default -> throw new IllegalArgumentException("No role " + role);
                };
            }

            @Override
            public Map<String, Long> state() {
                return HostileInputTest.this.state();
            }

            @Override
            public Map<String, String> variables() {
                Map<String, String> variables = tokenVariables(subscriber, email);
                variables.put("webhook", webhook.toString());
                return variables;
            }
        };
        awaitQuiet();
        return HostileSuite.run("hostile/notification-service.json", target);
    }

    /** Spellings of a real token that are not its one accepted encoding, and a well-formed forgery. */
    private Map<String, String> tokenVariables(UUID subscriber, String email) {
        String url = links.url(subscriber);
        String token = url.substring(url.indexOf("token=") + 6);
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        Base64.Decoder decoder = Base64.getUrlDecoder();
        String standard = Base64.getEncoder().encodeToString(decoder.decode(payload)) + "."
                + Base64.getEncoder().encodeToString(decoder.decode(signature));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = signature.charAt(signature.length() - 1);
        // 32 bytes are 43 characters; the last one carries two unused bits, which a canonical encoding leaves at zero.
        String nonCanonical = payload + "." + signature.substring(0, signature.length() - 1)
                + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        String upperCase = Base64.getUrlEncoder().withoutPadding().encodeToString(
                ("1:" + subscriber.toString().toUpperCase()).getBytes(StandardCharsets.US_ASCII)) + "." + signature;
        Map<String, String> variables = new LinkedHashMap<>();
        variables.put("subscriberEmail", email);
        variables.put("subscriber", subscriber.toString());
        variables.put("tokenPadded", payload + "%3D." + signature + "%3D");
        variables.put("tokenStandard", standard.replace("+", "%2B").replace("/", "%2F").replace("=", "%3D"));
        variables.put("tokenNonCanonical", nonCanonical);
        variables.put("tokenUpperCaseUuid", upperCase);
        variables.put("tokenForged", payload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]));
        return variables;
    }

    /** Earlier tests' events may still be fanned out; the suite starts once nothing moves for a few seconds. */
    private void awaitQuiet() {
        AtomicReference<Map<String, Long>> last = new AtomicReference<>(state());
        AtomicReference<Long> since = new AtomicReference<>(System.nanoTime());
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            Map<String, Long> now = state();
            if (!now.equals(last.get())) {
                last.set(now);
                since.set(System.nanoTime());
            }
            return System.nanoTime() - since.get() > Duration.ofSeconds(3).toNanos();
        });
    }

    Map<String, Long> state() {
        Map<String, Long> state = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection(); Statement query = connection.createStatement()) {
            for (String table : TABLES) {
                try (ResultSet row = query.executeQuery("SELECT count(*) FROM " + table)) {
                    row.next();
                    state.put(table + " rows", row.getLong(1));
                }
            }
            try (ResultSet row = query.executeQuery(
                    "SELECT coalesce(sum(version), 0), count(unsubscribed_at) FROM subscriber")) {
                row.next();
                state.put("subscriber versions", row.getLong(1));
                state.put("subscriber unsubscriptions", row.getLong(2));
            }
            try (ResultSet row = query.executeQuery("SELECT coalesce(sum(version), 0) FROM webhook_endpoint")) {
                row.next();
                state.put("webhook versions", row.getLong(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        try {
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            for (var topic : admin().describeTopics(PRODUCED_TOPICS).allTopicNames().get().values()) {
                topic.partitions().forEach(p -> latest.put(new TopicPartition(topic.name(), p.partition()), OffsetSpec.latest()));
            }
            admin().listOffsets(latest).all().get().forEach((partition, end) -> state.put(partition + " end offset", end.offset()));
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        return state;
    }

    private static synchronized Admin admin() {
        if (admin == null) {
            admin = Admin.create(TestInfrastructure.kafka().clientProperties());
        }
        return admin;
    }

    @AfterAll
    static void close() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }
}

package dev.incidentplatform.incident.relay;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.incident.IncidentTopic;
import dev.incidentplatform.incident.IncidentTopic.Received;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;

/**
 * The packaged service killed with SIGKILL while commands arrive, and its relay checkpoint then set back as if the
 * crash had come between Kafka's commit and the checkpoint's: after a restart every event is on the topic exactly
 * once, each incident's in version order.
 */
class RelayCrashIT {

    private static final String TOPIC = "incident-events";
    private static Map<String, String> config;
    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        config = new java.util.LinkedHashMap<>(ServiceProcess.infrastructureConfig("incident_crash", Map.of(TOPIC, 6)));
        config.put("quarkus.log.category.\"dev.incidentplatform.platform.outbox\".level", "DEBUG");
        service = ServiceProcess.of("incident-service", config).start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void aKilledServiceResumesPublishingWithoutGapsOrDuplicates() throws Exception {
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger accepted = new AtomicInteger();
        Thread writer = new Thread(() -> writeUntilStopped(writing, accepted), "crash-it-writer");
        writer.start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= 40);
            service.kill();
            int beforeRestart = accepted.get();
            // As if the crash had hit after Kafka committed but before the checkpoint did: the relay must notice.
            execute("UPDATE checkpoint SET last_transaction_id = '0', last_position = 0 WHERE name = 'relay:incident-events'");
            service.start();
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> accepted.get() >= beforeRestart + 40);
        } finally {
            writing.set(false);
            writer.join();
        }

        List<String> stored = storedEventIds();
        String storeId = storeId();
        List<Received> records = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            records.clear();
            IncidentTopic.readAll(TestInfrastructure.kafka().bootstrapServers(), TOPIC).stream()
                    .filter(r -> storeId.equals(r.header("incident-store"))).forEach(records::add);
            return records.size() >= stored.size();
        });
        List<String> published = records.stream().map(r -> r.header("ce_id")).toList();
        List<String> duplicates = records.stream()
                .filter(r -> published.indexOf(r.header("ce_id")) != published.lastIndexOf(r.header("ce_id")))
                .map(r -> r.partition() + "@" + r.offset() + " " + r.header("incident-position") + " " + r.header("ce_id")).toList();
        assertThat(duplicates).as("records published twice (partition@offset position id) among "
                + records.stream().map(r -> r.partition() + "@" + r.offset() + " " + r.header("incident-position")).toList()).isEmpty();
        assertThat(new HashSet<>(published)).as("no duplicates").hasSize(published.size());
        assertThat(published).containsExactlyInAnyOrderElementsOf(stored);
        Map<String, List<Integer>> versionsByIncident = new LinkedHashMap<>();
        for (Received record : records) {
            int version = Integer.parseInt(record.value().replaceAll("(?s).*\"streamVersion\"\\s*:\\s*(\\d+).*", "$1"));
            versionsByIncident.computeIfAbsent(record.key(), k -> new ArrayList<>()).add(version);
        }
        versionsByIncident.forEach((incident, versions) -> assertThat(versions).as(incident).isSorted().doesNotHaveDuplicates());
    }

    /** Opens incidents and posts updates as fast as the service answers; a dead service just fails the attempt. */
    private static void writeUntilStopped(AtomicBoolean writing, AtomicInteger accepted) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        String token = TestTokens.forRoles("crash-test@ops.example", "incident-writer");
        String open = "{\"title\":\"Crash test\",\"severity\":\"SEV2\",\"message\":\"m\","
                + "\"components\":[{\"service\":\"teams\",\"regions\":[\"global\"],\"status\":\"major_outage\"}]}";
        String current = null;
        int updates = 0;
        while (writing.get()) {
            try {
                boolean opening = current == null || updates >= 3;
                String path = opening ? "/api/incidents" : "/api/incidents/" + current + "/updates";
                String body = opening ? open : "{\"status\":\"identified\",\"message\":\"update " + updates + "\"}";
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(service.baseUri().resolve(path))
                        .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 201) {
                    accepted.incrementAndGet();
                    if (opening) {
                        String location = response.headers().firstValue("Location").orElseThrow();
                        current = location.substring(location.lastIndexOf('/') + 1);
                        updates = 0;
                    } else {
                        updates++;
                    }
                }
            } catch (java.io.IOException e) {
                // The service is down: try again.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static Connection database() throws Exception {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }

    private static void execute(String sql) throws Exception {
        try (Connection connection = database(); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static String storeId() throws Exception {
        try (Connection connection = database(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT store_id FROM event_store_identity")) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static List<String> storedEventIds() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection connection = database(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT event_id FROM event ORDER BY transaction_id, position")) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }
}

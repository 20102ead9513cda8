package dev.incidentplatform.compensation.ledger;

import static dev.incidentplatform.compensation.Incidents.component;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.compensation.Incidents;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestTokens;

/**
 * The packaged service killed with SIGKILL while it plans an outage's credits, again half-way through the credit
 * run's chunks, and again while it publishes the credits; then a full replay of incident-events by a new consumer
 * group. The run resumes from its progress, the ledger ends complete and unchanged, and every credit is on the broker
 * exactly once (the relay's Kafka transactions, reconciled with the topic after each kill).
 */
class CrashAndReplayIT {

    private static final int CONTRACTS = 20_000;
    private static final int BATCH = 50;
    private static final int CHUNK = 500;
    private static final String SERVICE = "vm-crash";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String CHECKPOINT_POSITION = "SELECT last_position FROM checkpoint WHERE name = 'relay:credit-events'";

    private static Map<String, String> config;
    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        config = new LinkedHashMap<>(ServiceProcess.infrastructureConfig("compensation_crash",
                Map.of("incident-events", 6, "credit-events", 6, "incident-events.compensation-service.dlq", 1)));
        config.put("compensation.relay.batch-size", Integer.toString(BATCH));
        config.put("compensation.credits.chunk-size", Integer.toString(CHUNK));
        // A killed consumer stays in its group until its session times out (45 s by default); the broker's minimum
        // keeps the restarts of this test short.
        config.put("mp.messaging.incoming.incident-events.session.timeout.ms", "6000");
        service = ServiceProcess.of("compensation-service", config).start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void crashesMidWayAndAFullReplayLeaveTheLedgerCompleteAndUnchanged() throws Exception {
        importContracts();
        Incidents incident = new Incidents();

        // 1. Killed while planning: the test holds the service's per-service credit lock, so the transaction that
        //    recorded the resolution in the inbox is stuck inside the planning when SIGKILL arrives.
        try (Connection blocker = database()) {
            try (PreparedStatement lock = blocker.prepareStatement("SELECT pg_advisory_lock(hashtext('credit:' || ?))")) {
                lock.setString(1, SERVICE);
                lock.execute();
            }
            // 300 min on 2024-07-19 → 99.3279 % → 10 % (azure-99.9) of each fee.
            Incidents.send(incident.opened("2024-07-19T04:00:00Z", component(SERVICE, "major_outage", "global")),
                    incident.resolved("2024-07-19T09:00:00Z", component(SERVICE, "operational", "global")));
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                    .until(() -> waitingOnCreditLock(blocker));
            service.kill();
        }
        assertThat(scalar("SELECT count(*) FROM credit")).as("nothing of the killed transaction survived").isZero();
        assertThat(scalar("SELECT count(*) FROM inbox WHERE event_type = 'update-posted'")).isZero();
        assertThat(scalar("SELECT count(*) FROM credit_run")).isZero();

        // 2. Restarted: the resolution is redelivered (its offset was never committed) and its run planned; killed
        //    half-way through the run. The test takes the run row's lock once a few chunks are in, so the worker
        //    (which skips a locked run) is stopped between two chunks when SIGKILL arrives.
        service.start();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                .until(() -> scalar("SELECT coalesce(max(chunks), 0) FROM credit_run") >= 3);
        try (Connection blocker = database()) {
            blocker.setAutoCommit(false);
            try (PreparedStatement lock = blocker.prepareStatement("SELECT run_id FROM credit_run FOR UPDATE")) {
                lock.execute();
            }
            service.kill();
            blocker.rollback();
        }
        long entriesAtKill = scalar("SELECT count(*) FROM credit");
        assertThat(entriesAtKill).as("killed half-way through the run").isBetween(3L * CHUNK, CONTRACTS - 1L);
        assertThat(scalar("SELECT entries FROM credit_run")).as("the progress is that of the committed chunks")
                .isEqualTo(entriesAtKill);
        assertThat(scalar("SELECT count(*) FROM credit_run WHERE finished_at IS NULL")).isEqualTo(1);

        // 3. Restarted: the run resumes from its progress; killed again while the relay publishes in batches of 50.
        service.start();
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10))
                .until(() -> scalar("SELECT count(*) FROM credit_run WHERE finished_at IS NULL") == 0
                        && scalar(CHECKPOINT_POSITION) > 0);
        service.kill();
        long ledgerAtKill = scalar("SELECT count(*) FROM credit");
        long publishedAtKill = scalar("SELECT count(*) FROM credit WHERE position <= (" + CHECKPOINT_POSITION + ")");
        assertThat(ledgerAtKill).isEqualTo(CONTRACTS);
        assertThat(publishedAtKill).as("killed while publishing").isLessThan(CONTRACTS);

        // 4. Restarted: publishing resumes from the checkpoint.
        service.start();
        List<String> wire = awaitPublished(CONTRACTS);
        Set<String> distinct = new HashSet<>(wire);
        assertThat(distinct).hasSize(CONTRACTS).isEqualTo(ledgerEventIds());
        assertThat(wire).as("nothing repeats on the wire, not even the batch in flight at the kill").hasSize(CONTRACTS);
        String ledger = ledgerFingerprint();
        assertThat(scalar("SELECT count(*) FROM credit WHERE kind = 'original' AND amount IS NOT NULL")).isEqualTo(CONTRACTS);

        // 5. A full replay: a new consumer group reads incident-events from the beginning. The ledger does not change
        //    and nothing more is published.
        service.stop();
        Map<String, String> replay = new LinkedHashMap<>(config);
        replay.put("mp.messaging.incoming.incident-events.group.id", "compensation-service-replay");
        try (ServiceProcess replaying = ServiceProcess.of("compensation-service-replay", replay).start()) {
            Incidents.awaitConsumed("compensation-service-replay");
        }
        assertThat(ledgerFingerprint()).isEqualTo(ledger);
        assertThat(scalar("SELECT count(*) FROM credit_run")).as("the replayed resolution plans no second run").isEqualTo(1);
        assertThat(awaitPublished(CONTRACTS)).hasSize(wire.size());
    }

    private static void importContracts() {
        StringBuilder csv = new StringBuilder("customerId,service,regions,amount,currency,policyId,effectiveFrom\n");
        String[] regions = { "global", "eu-west", "us-east;eu-west", "ap-south" };
        for (int i = 0; i < CONTRACTS; i++) {
            csv.append("customer-").append(i).append(',').append(SERVICE).append(',').append(regions[i % regions.length])
                    .append(',').append(100 + i % 997).append('.').append(String.format("%02d", i % 100)).append(",USD,azure-99.9,2024-01\n");
        }
        given().baseUri(service.baseUri().toString()).auth().oauth2(TestTokens.forRoles("admin@billing.example", "billing-admin"))
                .contentType("text/csv").body(csv.toString()).when().post("/api/contracts/import")
                .then().statusCode(200);
    }

    private static boolean waitingOnCreditLock(Connection c) throws SQLException {
        try (PreparedStatement query = c.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1) > 0;
        }
    }

    private static List<String> awaitPublished(int expected) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap.servers"));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "crash-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<String> eventIds = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("credit-events"));
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(10)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(500))) {
                    if (JSON.readTree(record.value()).get("service").asText().equals(SERVICE)) {
                        eventIds.add(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
                    }
                }
                assertThat(new HashSet<>(eventIds)).hasSize(expected);
            });
            // Anything published a little later (a duplicate) would still arrive within a few polls.
            for (int i = 0; i < 5; i++) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    eventIds.add(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
                }
            }
        }
        return eventIds;
    }

    private static Set<String> ledgerEventIds() throws SQLException {
        Set<String> ids = new HashSet<>();
        try (Connection c = database(); PreparedStatement query = c.prepareStatement("SELECT event_id::text FROM credit");
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
        }
        return ids;
    }

    /** Count, ids and money of the whole ledger and its decisions: equal fingerprints, equal ledgers. */
    private static String ledgerFingerprint() throws SQLException {
        try (Connection c = database(); PreparedStatement query = c.prepareStatement("""
                SELECT count(*) || '/' || coalesce(sum(amount), 0) || '/' || md5(string_agg(credit_id::text || event_id::text
                       || amount::text, ',' ORDER BY credit_id)) || '/' || (SELECT count(*) FROM credit_decision)
                FROM credit"""); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getString(1);
        }
    }

    private static long scalar(String sql) throws SQLException {
        try (Connection c = database(); PreparedStatement query = c.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private static Connection database() throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }
}

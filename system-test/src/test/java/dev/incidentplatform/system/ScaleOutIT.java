package dev.incidentplatform.system;

import static dev.incidentplatform.system.ReplicatedSystem.as;
import static dev.incidentplatform.system.ReplicatedSystem.leads;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.testsupport.MailServer;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;

/**
 * Two instances of each packaged service share the work of one outage, and one instance of each is killed with
 * SIGKILL mid-way: the survivors finish it. The SMTP server and the ledger are the truth.
 *
 * <ul>
 * <li>notification-service: a fan-out to 5 000 subscribers, sent by both instances (the delivery rows' {@code claimed_by}
 * says who sent what). The first is killed after a tenth of the mails: every subscriber still gets the notice, and only
 * rows the killed instance held may arrive twice, at most its sends in flight (one per sender thread) plus its
 * unrecorded outcomes (twice {@code notification.senders.outcome-batch-size}).</li>
 * <li>compensation-service: credit runs over 20 000 contracts of four services (four runs, which the instances' workers
 * apply chunk by chunk; each instance's log names the chunks it applied). The instance leading the credit-events relay
 * is killed once both have applied chunks and a quarter of the credits are in: every contract gets its credit exactly once in the ledger, every credit is
 * on credit-events exactly once (read committed), and the survivor leads the relay within {@link #HAND_OVER}.</li>
 * <li>incident-service: the instance leading the incident-events relay is killed after the outage's events are out;
 * the survivor takes the lead within {@link #HAND_OVER} and publishes the next command it takes.</li>
 * </ul>
 */
class ScaleOutIT {

    private static final int SUBSCRIBERS = 5000;
    private static final int CONTRACTS = 20_000;
    private static final int CREDIT_SERVICES = 4;
    private static final int SENDERS = 4;
    private static final int OUTCOME_BATCH = 20;
    /** What the killed notification instance may have sent without recording it. */
    private static final int REPEAT_BOUND = SENDERS + 2 * OUTCOME_BATCH;
    /**
     * From a leader's SIGKILL to the survivor leading: PostgreSQL drops the dead session's advisory lock as soon as its
     * socket closes, a standby tries again every 2 s, and then opens its transactional producer (fencing the dead one's).
     */
    private static final Duration HAND_OVER = Duration.ofSeconds(10);
    private static final Duration PATIENCE = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern CHUNK = Pattern.compile("Credit run \\d+: chunk \\d+, (\\d+) contracts");

    private static ReplicatedSystem system;
    private static final String RUN = UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, String> report = new LinkedHashMap<>();
    private static final long STARTED = System.nanoTime();

    @BeforeAll
    static void startTwoInstancesOfEachService() {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        configs.put("incident-service", ServiceProcess.infrastructureConfig("scale_incident", OutageScenario.TOPICS));
        Map<String, String> notification = ServiceProcess.infrastructureConfigWithMail("scale_notification", OutageScenario.TOPICS);
        notification.put("platform.links.public-base-url", "https://status.example.test");
        notification.put("notification.unsubscribe.key", "system-test-unsubscribe-key-of-32-bytes-or-more");
        notification.put("notification.webhooks.encryption-key", "c3lzdGVtLXRlc3Qtd2ViaG9vay1lbmNyeXB0aW9uLWs=");
        notification.put("notification.senders.pool-size", Integer.toString(SENDERS));
        notification.put("notification.senders.outcome-batch-size", Integer.toString(OUTCOME_BATCH));
        notification.put("notification.mail.send-timeout", "PT5S");
        configs.put("notification-service", notification);
        Map<String, String> compensation = ServiceProcess.infrastructureConfig("scale_compensation", OutageScenario.TOPICS);
        // Small chunks, so that the runs last long enough to be shared and interrupted; their log lines tell who applied each.
        compensation.put("compensation.credits.chunk-size", "100");
        compensation.put("quarkus.log.category.\"dev.incidentplatform.compensation.creditrun\".level", "DEBUG");
        configs.put("compensation-service", compensation);
        system = ReplicatedSystem.start(2, configs);
        milestone("six instances ready");
    }

    @AfterAll
    static void stopEveryInstanceAndReport() throws IOException {
        if (system != null) {
            system.close();
        }
        StringBuilder text = new StringBuilder("ScaleOutIT (" + java.time.Instant.now() + ")\n");
        report.forEach((what, value) -> text.append(String.format("  %-58s %s%n", what, value)));
        System.out.print(text);
        Files.writeString(Path.of("target", "scale-out-report.txt"), text);
    }

    @Test
    void twoInstancesOfEachServiceShareTheOutageAndTheSurvivorsFinishItAfterSigkill() throws Exception {
        ServiceProcess incidentsA = system.instance("incident-service", 1);
        ServiceProcess incidentsB = system.instance("incident-service", 2);
        ServiceProcess notificationsA = system.instance("notification-service", 1);
        ServiceProcess notificationsB = system.instance("notification-service", 2);
        String mailService = "scale-mail-" + RUN;
        List<String> creditServices = new ArrayList<>();
        for (int s = 0; s < CREDIT_SERVICES; s++) {
            creditServices.add("scale-credit-" + RUN + "-" + s);
        }
        String domain = "scale-" + RUN + ".example.test";
        importSubscribers(notificationsA, domain, mailService);
        importContracts(system.instance("compensation-service", 1), creditServices);
        milestone("5 000 subscribers and 20 000 contracts imported");

        // The outage that earns credits (no subscriber follows its services), and the one that is mailed.
        String creditIncident = openIncident(incidentsA, "Storage unavailable", creditServices);
        String mailIncident = openIncident(incidentsB, "Virtual machines fail to boot", List.of(mailService));

        // notification-service: kill the first instance once a tenth of the mails are out.
        // (The delivery log is polled, not the SMTP server: parsing thousands of mails a second would slow the senders.)
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> deliveries(mailIncident, "sent") >= SUBSCRIBERS / 10);
        // claimed_by is "{pid}@{host}/{instance}#{thread}".
        String killedSender = notificationsA.pid() + "@%";
        notificationsA.kill();
        milestone("notification-service-1 killed");
        long mailsAtKill = deliveries(mailIncident, "sent");
        assertThat(mailsAtKill).as("the kill came while the fan-out was being sent").isLessThan(SUBSCRIBERS);
        Set<String> held = heldBy(killedSender);
        report.put("notification-service-1 killed after mails sent", mailsAtKill + " of " + SUBSCRIBERS
                + " (it held " + held.size() + " rows)");

        // The resolution starts the credit runs (four, one per service) while the surviving sender works on.
        resolve(incidentsA, creditIncident, creditServices);

        // compensation-service: kill the credit-events leader once both instances have applied chunks.
        ServiceProcess compensationLeader = Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> system.instancesOf("compensation-service").stream().filter(i -> leads(i, "credit-events"))
                        .findFirst().orElse(null), leader -> leader != null);
        ServiceProcess compensationSurvivor = other("compensation-service", compensationLeader);
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(20)).until(() -> chunkContracts(compensationLeader) > 0
                && chunkContracts(compensationSurvivor) > 0 && ledgerCount(creditIncident) >= CONTRACTS / 4);
        compensationLeader.kill();
        long compensationKilledAt = System.nanoTime();
        long creditsAtKill = ledgerCount(creditIncident);
        assertThat(creditsAtKill).as("the kill came while the credit runs were being applied").isLessThan(CONTRACTS);
        milestone("compensation-service leader killed");
        Duration compensationHandOver = awaitLeader(compensationSurvivor, "credit-events", compensationKilledAt);
        report.put(name(compensationLeader) + " (credit-events leader) killed after credits", creditsAtKill + " of " + CONTRACTS);

        // incident-service: kill the incident-events leader, then give the survivor a command to publish.
        ServiceProcess incidentLeader = Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100))
                .until(() -> system.instancesOf("incident-service").stream().filter(i -> leads(i, "incident-events"))
                        .findFirst().orElse(null), leader -> leader != null);
        ServiceProcess incidentSurvivor = incidentLeader == incidentsA ? incidentsB : incidentsA;
        incidentLeader.kill();
        long incidentKilledAt = System.nanoTime();
        Duration incidentHandOver = awaitLeader(incidentSurvivor, "incident-events", incidentKilledAt);
        as(incidentSurvivor, "incident-writer").contentType("application/json")
                .body(Map.of("rootCause", "A storage cluster lost its quorum.", "impactSummary", "Twelve hours of errors."))
                .post("/api/incidents/" + creditIncident + "/review").then().statusCode(201);
        Predicate<String> theReview = record -> record.contains("\"review-published\"") && record.contains(creditIncident);
        List<String> incidentEvents = TopicRecords.readUntil("incident-events", PATIENCE,
                records -> records.stream().anyMatch(theReview));
        assertThat(incidentEvents).as("the survivor published the review").filteredOn(theReview).hasSize(1);
        report.put(name(incidentLeader) + " (incident-events leader) killed", "after the outage's events were published");

        // The survivors finish: every subscriber has the notice, only held rows repeated, within the bound. A delivery
        // is recorded sent once the SMTP server accepted it, so by then the server holds every mail.
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> deliveries(mailIncident, "sent") == SUBSCRIBERS);
        milestone("every notice sent");
        MailServer mail = TestInfrastructure.mail();
        Predicate<MimeMessage> ours = message -> mailIncident.equals(Mails.header(message, "X-Incident-Id"));
        Map<String, Integer> received = countByRecipient(mail, ours);
        Set<String> repeated = new HashSet<>();
        received.forEach((address, times) -> {
            if (times > 1) {
                repeated.add(address);
            }
        });
        int repeats = received.values().stream().mapToInt(n -> n - 1).sum();
        assertThat(received.keySet()).hasSize(SUBSCRIBERS).allSatisfy(address -> assertThat(address).endsWith("@" + domain));
        assertThat(held).as("only rows the killed instance held were sent twice").containsAll(repeated);
        assertThat(repeats).as("notices sent twice").isLessThanOrEqualTo(REPEAT_BOUND);
        Map<String, Long> sentBy = sentByInstance(mailIncident);
        assertThat(sentBy).as("mails sent per instance (pid)").hasSize(2).allSatisfy((pid, sent) -> assertThat(sent).isPositive());

        // Every contract credited exactly once, and every credit on the topic exactly once.
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() -> ledgerCount(creditIncident) == CONTRACTS);
        milestone("every credit in the ledger");
        Set<String> ledger = ledgerCredits(creditIncident);
        assertThat(ledger).hasSize(CONTRACTS);
        assertThat(distinctContracts(creditIncident)).isEqualTo(CONTRACTS);
        // (A substring test while reading: parsing every record at every poll made this take minutes.)
        List<String> creditEvents = TopicRecords.readUntil("credit-events", PATIENCE,
                records -> records.stream().filter(record -> record.contains(creditIncident)).count() >= CONTRACTS);
        List<String> published = creditIds(creditEvents, creditIncident);
        milestone("every credit read back from credit-events");
        assertThat(published).as("credit-issued records of the outage").hasSize(CONTRACTS).doesNotHaveDuplicates();
        assertThat(new HashSet<>(published)).isEqualTo(ledger);
        long leaderChunks = chunkContracts(compensationLeader);
        long survivorChunks = chunkContracts(compensationSurvivor);
        assertThat(leaderChunks + survivorChunks).as("contracts applied by the two instances' chunks").isGreaterThanOrEqualTo(CONTRACTS);

        assertThat(compensationHandOver).as("credit-events leadership hand-over").isLessThanOrEqualTo(HAND_OVER);
        assertThat(incidentHandOver).as("incident-events leadership hand-over").isLessThanOrEqualTo(HAND_OVER);

        report.put("mails sent by notification-service-1 / -2", sentBy.get(Long.toString(notificationsA.pid())) + " / "
                + sentBy.get(Long.toString(notificationsB.pid())));
        report.put("notices sent twice (bound " + REPEAT_BOUND + ")", repeats + " (" + repeated.size() + " recipients)");
        report.put("contracts credited by " + name(compensationLeader) + " / " + name(compensationSurvivor) + " (chunks)",
                leaderChunks + " / " + survivorChunks);
        report.put("credit-events leadership hand-over", seconds(compensationHandOver));
        report.put("incident-events leadership hand-over", seconds(incidentHandOver));
        report.put("credits in the ledger / on credit-events", ledger.size() + " / " + published.size());
    }

    private static void importSubscribers(ServiceProcess notifications, String domain, String service) {
        StringBuilder csv = new StringBuilder("email,name,customerId,services,regions\n");
        for (int i = 0; i < SUBSCRIBERS; i++) {
            csv.append("r").append(i).append('@').append(domain).append(",,,").append(service).append(",\n");
        }
        as(notifications, "subscriber-admin").contentType("text/csv; charset=UTF-8").body(csv.toString()).post("/api/subscribers/import")
                .then().statusCode(200);
    }

    private static void importContracts(ServiceProcess compensation, List<String> services) {
        StringBuilder csv = new StringBuilder("customerId,service,regions,amount,currency,policyId,effectiveFrom\n");
        for (int i = 0; i < CONTRACTS; i++) {
            csv.append("scale-").append(RUN).append('-').append(i).append(',').append(services.get(i % services.size()))
                    .append(",global,100.00,USD,azure-99.9,2024-07\n");
        }
        as(compensation, "billing-admin").contentType("text/csv; charset=UTF-8").body(csv.toString()).post("/api/contracts/import")
                .then().statusCode(200);
    }

    private static String openIncident(ServiceProcess incidents, String title, List<String> services) {
        return as(incidents, "incident-writer").contentType("application/json")
                .body(Map.of("title", title, "severity", "SEV1", "message", "Investigating.", "startedAt", "2024-07-10T00:00:00Z",
                        "components", services.stream().map(service -> Map.of("service", service, "regions", List.of("global"),
                                "status", "major_outage")).toList()))
                .post("/api/incidents").then().statusCode(201).extract().path("id");
    }

    private static void resolve(ServiceProcess incidents, String incident, List<String> services) {
        as(incidents, "incident-writer").contentType("application/json")
                .body(Map.of("status", "resolved", "message", "Recovered.", "effectiveAt", "2024-07-10T12:00:00Z",
                        "components", services.stream().map(service -> Map.of("service", service, "regions", List.of("global"),
                                "status", "operational")).toList()))
                .post("/api/incidents/" + incident + "/updates").then().statusCode(201);
    }

    private static Duration awaitLeader(ServiceProcess survivor, String stream, long killedAt) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> leads(survivor, stream));
        return Duration.ofNanos(System.nanoTime() - killedAt);
    }

    private static ServiceProcess other(String service, ServiceProcess instance) {
        return system.instancesOf(service).stream().filter(i -> i != instance).findFirst().orElseThrow();
    }

    /** The contracts the instance's log says its credit-run chunks applied. */
    private static long chunkContracts(ServiceProcess instance) throws IOException {
        if (!Files.exists(instance.logFile())) {
            return 0;
        }
        long contracts = 0;
        for (String line : Files.readAllLines(instance.logFile())) {
            Matcher chunk = CHUNK.matcher(line);
            if (chunk.find()) {
                contracts += Long.parseLong(chunk.group(1));
            }
        }
        return contracts;
    }

    /** The addresses of the rows owners matching {@code owners} (a LIKE pattern) held: claimed and not recorded. */
    private static Set<String> heldBy(String owners) throws SQLException {
        return strings("notification-service", """
                SELECT s.email FROM delivery d JOIN subscriber s ON s.id = d.recipient_id
                WHERE d.status = 'sending' AND d.claimed_by LIKE ?""", owners);
    }

    private static long deliveries(String incident, String status) throws SQLException {
        return count("notification-service", """
                SELECT count(*) FROM delivery WHERE status = ? AND incident_id = ?::uuid""", status, incident);
    }

    private static Map<String, Long> sentByInstance(String incident) throws SQLException {
        try (Connection connection = system.database("notification-service"); PreparedStatement query = connection.prepareStatement("""
                SELECT split_part(claimed_by, '@', 1) AS pid, count(*) AS sent FROM delivery
                WHERE status = 'sent' AND incident_id = ?::uuid GROUP BY 1""")) {
            query.setString(1, incident);
            Map<String, Long> sent = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    sent.put(rows.getString("pid"), rows.getLong("sent"));
                }
            }
            return sent;
        }
    }

    private static long ledgerCount(String incident) throws SQLException {
        return count("compensation-service", "SELECT count(*) FROM credit WHERE incident_id = ?::uuid AND status = 'issued'", incident);
    }

    private static long distinctContracts(String incident) throws SQLException {
        return count("compensation-service", "SELECT count(DISTINCT contract_id) FROM credit WHERE incident_id = ?::uuid", incident);
    }

    private static Set<String> ledgerCredits(String incident) throws SQLException {
        return strings("compensation-service", "SELECT credit_id::text FROM credit WHERE incident_id = ?::uuid AND status = 'issued'",
                incident);
    }

    /** The creditId of every credit-issued record (as JSON text) that names {@code incident}, in topic order. */
    private static List<String> creditIds(List<String> records, String incident) throws IOException {
        List<String> ids = new ArrayList<>();
        for (String record : records) {
            if (record.contains(incident)) {
                JsonNode credit = JSON.readTree(record);
                for (JsonNode id : credit.path("incidentIds")) {
                    if (id.asText().equals(incident)) {
                        ids.add(credit.path("creditId").asText());
                    }
                }
            }
        }
        return ids;
    }

    private static long count(String service, String sql, Object... parameters) throws SQLException {
        try (Connection connection = system.database(service); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Set<String> strings(String service, String sql, Object... parameters) throws SQLException {
        try (Connection connection = system.database(service); PreparedStatement query = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                query.setObject(i + 1, parameters[i]);
            }
            Set<String> values = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    values.add(rows.getString(1));
                }
            }
            return values;
        }
    }

    private static Map<String, Integer> countByRecipient(MailServer mail, Predicate<MimeMessage> ours) {
        Map<String, Integer> counts = new HashMap<>();
        mail.receivedMessages().stream().filter(ours).forEach(message -> counts.merge(Mails.recipient(message), 1, Integer::sum));
        return counts;
    }

    private static String name(ServiceProcess instance) {
        String log = instance.logFile().getFileName().toString();
        return log.substring("scale-".length(), log.lastIndexOf('-'));
    }

    private static void milestone(String what) {
        report.put("at " + seconds(Duration.ofNanos(System.nanoTime() - STARTED)), what);
    }

    private static String seconds(Duration duration) {
        return String.format("%.2f s", duration.toMillis() / 1000.0);
    }
}

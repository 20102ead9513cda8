package dev.incidentplatform.notification.benchmark;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static io.restassured.RestAssured.given;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.common.GroupState;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import com.sun.net.httpserver.HttpServer;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.PackagedService;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.MailServer;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * {@code notification-service/benchmarks/run}: the packaged service (ServiceProcess) against its own Kafka, durable
 * PostgreSQL, GreenMail and Postfix's smtp-sink on random ports. Measures, each next to a baseline of the same run:
 * <ul>
 * <li>GreenMail's ceiling: a 10 000-subscriber fan-out into it vs. smtp-source sending as many messages of the same
 * size to distinct recipients over as many sessions;</li>
 * <li>one update to 100 000 subscribers into smtp-sink, from the record to the last message accepted, vs. smtp-source
 * sending as many messages of the same size over as many reused sessions into the same sink; peak RSS at 10 000 and
 * 100 000 recipients;</li>
 * <li>one update to 10 000 webhook endpoints served by local HTTP servers: deliveries per second;</li>
 * <li>the 100 000-line CSV import over REST vs. a raw JDBC COPY of the same rows;</li>
 * <li>the fan-out of one event to 100 000 recipients (delivery rows written) vs. a plain INSERT … SELECT.</li>
 * </ul>
 * Writes target/benchmark-results.md. Not a test of correctness (the tests are); a way to rerun the figures.
 */
class NotificationBenchmark {

    private static final int SUBSCRIBERS = Integer.getInteger("benchmark.subscribers", 10_000);
    private static final int LARGE_FAN_OUT = Integer.getInteger("benchmark.largeFanOut", 100_000);
    private static final int WEBHOOK_ENDPOINTS = Integer.getInteger("benchmark.webhooks", 10_000);
    private static final int WEBHOOK_HOSTS = 16;
    private static final int IMPORT_ROWS = Integer.getInteger("benchmark.importRows", 100_000);
    private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 3);
    private static final int SENDERS = Integer.getInteger("benchmark.senders", 8);
    private static final Duration TIMEOUT = Duration.ofMinutes(15);

    private final StringBuilder report = new StringBuilder();

    @Test
    void fanOutImportAndBaselines() throws Exception {
        Map<String, String> config = PackagedService.config("notification_bench");
        config.put("notification.senders.pool-size", Integer.toString(SENDERS));
        MailServer mail = TestInfrastructure.mail();
        Postfix postfix = Postfix.unpacked();
        line("# notification-service benchmark");
        line("");
        machine();
        line("Service: packaged (target/quarkus-app), -Xmx256m, %d sender threads (= kept-open SMTP connections); "
                + "embedded PostgreSQL (zonky starts it with fsync and synchronous_commit off, whatever TEST_POSTGRES_DURABLE says); Kafka and GreenMail in the benchmark JVM; Postfix's smtp-sink and "
                + "smtp-source as separate processes.", SENDERS);
        line("");

        // Subscribers of two services: 10 000 follow one, 100 000 another (the import is also measured below).
        String small = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        String large = "bench-large-" + UUID.randomUUID().toString().substring(0, 8);
        int bodyBytes;
        try (ServiceProcess service = ServiceProcess.of("notification-service-benchmark", config).start()) {
            awaitPartitionsAssigned();
            importCsv(service, csv(SUBSCRIBERS, small + ".example.test", small));
            importCsv(service, csv(LARGE_FAN_OUT, large + ".example.test", large));
            bodyBytes = greenMailCeiling(service, mail, postfix, small);
        }
        config.put("quarkus.mailer.host", "127.0.0.1");
        // The webhook receivers listen on loopback addresses (one host each, so the per-host bound is not the limit).
        config.put("notification.webhooks.allow-hosts", "127.0.0.0/8");
        try (Postfix.Sink sink = postfix.startSink()) {
            config.put("quarkus.mailer.port", Integer.toString(sink.port()));
            try (ServiceProcess service = ServiceProcess.of("notification-service-benchmark-sink", config).start()) {
                awaitPartitionsAssigned();
                emailFanOutIntoSmtpSink(service, sink, postfix, small, large, bodyBytes);
                webhookFanOut(service);
                importAndRows(service, config);
            }
        }
        Path out = Path.of("target", "benchmark-results.md");
        Files.writeString(out, report.toString());
        System.out.println(report);
    }

    /**
     * GreenMail, the test and local-run SMTP server, as a sink: the service's fan-out to 10 000 subscribers into it,
     * and smtp-source sending as many messages of the same size to as many distinct recipients into it. Returns the
     * median size of the service's messages (bytes), for smtp-source to send the same.
     */
    private int greenMailCeiling(ServiceProcess service, MailServer mail, Postfix postfix, String serviceName)
            throws Exception {
        line("## GreenMail as the sink: %,d-subscriber fan-out vs. smtp-source", SUBSCRIBERS);
        line("");
        mail.purge();
        Predicate<MimeMessage> ours = m -> recipient(m).endsWith("@" + serviceName + ".example.test");
        long start = System.nanoTime();
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Benchmark outage (GreenMail)", "SEV1",
                List.of(component(serviceName, "major_outage", "global"))));
        List<MimeMessage> received = awaitCount(mail, SUBSCRIBERS, ours);
        double serviceSeconds = (System.nanoTime() - start) / 1e9;
        List<Double> sizes = new ArrayList<>();
        for (MimeMessage message : received.subList(0, Math.min(received.size(), 200))) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            message.writeTo(raw);
            sizes.add((double) raw.size());
        }
        int size = (int) median(sizes);
        mail.purge();
        double sourceSeconds = postfix.source(mail.smtpPort(), SUBSCRIBERS, SENDERS, size);
        awaitCount(mail, SUBSCRIBERS, m -> true);
        mail.purge();
        line("| sender | messages | size (bytes) | sessions | time (s) | messages/s |");
        line("|---|---|---|---|---|---|");
        line("| the service, one incident-opened | %,d | %,d (median) | %d | %.2f | %.0f |", SUBSCRIBERS, size, SENDERS,
                serviceSeconds, SUBSCRIBERS / serviceSeconds);
        line("| smtp-source -d -N (distinct recipients, connections reused) | %,d | %,d | %d | %.2f | %.0f |",
                SUBSCRIBERS, size, SENDERS, sourceSeconds, SUBSCRIBERS / sourceSeconds);
        line("");
        return size;
    }

    /**
     * The headline: one update to {@link #LARGE_FAN_OUT} subscribers into smtp-sink, from producing the record to the
     * sink's counter reaching them all, against smtp-source sending as many messages of the same size over as many
     * sessions into the same sink, in the same run. The service's RSS is sampled during the {@link #SUBSCRIBERS} and
     * the {@link #LARGE_FAN_OUT} fan-outs: flat in the number of recipients, or not.
     */
    private void emailFanOutIntoSmtpSink(ServiceProcess service, Postfix.Sink sink, Postfix postfix, String small,
            String large, int bodyBytes) throws Exception {
        long pid = service.pid();
        line("## One update to %,d subscribers into smtp-sink vs. smtp-source (same sink, size, sessions)", LARGE_FAN_OUT);
        line("");
        line("| run | service: record → last message accepted (s) | messages/s | peak RSS (MB) | smtp-source (s) | messages/s | service / smtp-source (time) |");
        line("|---|---|---|---|---|---|---|");
        List<Double> serviceTimes = new ArrayList<>();
        List<Double> sourceTimes = new ArrayList<>();
        long largePeak = 0;
        for (int run = 1; run <= REPETITIONS; run++) {
            long before = sink.received();
            RssSampler rss = new RssSampler(pid);
            long start = System.nanoTime();
            TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Benchmark outage " + run, "SEV1",
                    List.of(component(large, "major_outage", "global"))));
            double seconds = (sink.awaitReceived(before + LARGE_FAN_OUT, TIMEOUT) - start) / 1e9;
            long peak = rss.stop();
            largePeak = Math.max(largePeak, peak);
            awaitNothingPending(service);

            long beforeSource = sink.received();
            double sourceSeconds = postfix.source(sink.port(), LARGE_FAN_OUT, SENDERS, bodyBytes);
            sink.awaitReceived(beforeSource + LARGE_FAN_OUT, TIMEOUT);
            serviceTimes.add(seconds);
            sourceTimes.add(sourceSeconds);
            line("| %d | %.2f | %.0f | %d | %.2f | %.0f | %.2f |", run, seconds, LARGE_FAN_OUT / seconds, peak / 1024,
                    sourceSeconds, LARGE_FAN_OUT / sourceSeconds, seconds / sourceSeconds);
        }
        line("| **median** | **%.2f** | **%.0f** | **%d** | **%.2f** | **%.0f** | **%.2f** |", median(serviceTimes),
                LARGE_FAN_OUT / median(serviceTimes), largePeak / 1024, median(sourceTimes),
                LARGE_FAN_OUT / median(sourceTimes), median(serviceTimes) / median(sourceTimes));
        line("");

        long before = sink.received();
        RssSampler rss = new RssSampler(pid);
        long start = System.nanoTime();
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Benchmark outage (small)", "SEV2",
                List.of(component(small, "partial_outage", "global"))));
        double seconds = (sink.awaitReceived(before + SUBSCRIBERS, TIMEOUT) - start) / 1e9;
        long smallPeak = rss.stop();
        awaitNothingPending(service);
        line("Peak RSS by fan-out size (same instance, same sink): %,d recipients %d MB (%.2f s); %,d recipients %d MB.",
                SUBSCRIBERS, smallPeak / 1024, seconds, LARGE_FAN_OUT, largePeak / 1024);
        line("");
    }

    /**
     * One update to {@link #WEBHOOK_ENDPOINTS} generic webhook endpoints, served by JDK HTTP servers on
     * {@link #WEBHOOK_HOSTS} loopback addresses answering 204 at once: deliveries per second from the record to the
     * last request received, and the service's peak RSS meanwhile.
     */
    private void webhookFanOut(ServiceProcess service) throws Exception {
        String hooked = "bench-hooks-" + UUID.randomUUID().toString().substring(0, 8);
        AtomicLong received = new AtomicLong();
        ExecutorService handlers = Executors.newFixedThreadPool(16);
        List<HttpServer> servers = new ArrayList<>();
        try {
            for (int host = 1; host <= WEBHOOK_HOSTS; host++) {
                HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0." + host, 0), 1024);
                server.createContext("/", exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    received.incrementAndGet();
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
                server.setExecutor(handlers);
                server.start();
                servers.add(server);
            }
            String token = TestTokens.forRoles("benchmark", "subscriber-admin");
            for (int i = 0; i < WEBHOOK_ENDPOINTS; i++) {
                InetSocketAddress address = servers.get(i % servers.size()).getAddress();
                given().baseUri(service.baseUri().toString()).auth().oauth2(token).contentType("application/json")
                        .body(Map.of("url", "http://" + address.getHostString() + ":" + address.getPort() + "/hook/" + i,
                                "format", "generic", "services", List.of(hooked), "regions", List.of()))
                        .post("/api/webhooks").then().statusCode(201);
            }
            RssSampler rss = new RssSampler(service.pid());
            long start = System.nanoTime();
            TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Benchmark outage (webhooks)", "SEV1",
                    List.of(component(hooked, "major_outage", "global"))));
            Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(5)).until(() -> received.get() >= WEBHOOK_ENDPOINTS);
            double seconds = (System.nanoTime() - start) / 1e9;
            long peak = rss.stop();
            awaitNothingPending(service);
            line("## One update to %,d webhook endpoints (generic CloudEvents, signed; %d loopback hosts answering 204)",
                    WEBHOOK_ENDPOINTS, WEBHOOK_HOSTS);
            line("");
            line("| record → last request received (s) | deliveries/s | peak RSS (MB) |");
            line("|---|---|---|");
            line("| %.2f | %.0f | %d |", seconds, WEBHOOK_ENDPOINTS / seconds, peak / 1024);
            line("");
        } finally {
            servers.forEach(server -> server.stop(0));
            handlers.shutdownNow();
        }
    }

    private void importAndRows(ServiceProcess service, Map<String, String> config) throws Exception {
        line("## CSV import of %,d subscribers (one POST /api/subscribers/import)", IMPORT_ROWS);
        line("");
        line("Service: HTTP upload, streaming CSV parse and validation, COPY into a temporary table, duplicate and "
                + "conflict checks, INSERT … SELECT into subscriber, one transaction. Baseline: JDBC COPY of the same file "
                + "into a logged table with a unique index on lower(email).");
        line("");
        line("| run | service, REST import (s) | raw JDBC COPY of the same rows (s) | service / raw |");
        line("|---|---|---|---|");
        List<Double> imports = new ArrayList<>();
        List<Double> copies = new ArrayList<>();
        String importService = "bench-import-" + UUID.randomUUID().toString().substring(0, 8);
        for (int run = 1; run <= REPETITIONS; run++) {
            String importDomain = "import" + run + "-" + importService + ".example.test";
            byte[] body = csv(IMPORT_ROWS, importDomain, importService + "-" + run);
            long start = System.nanoTime();
            importCsv(service, body);
            double seconds = (System.nanoTime() - start) / 1e9;
            double copySeconds = rawCopy(config, body);
            imports.add(seconds);
            copies.add(copySeconds);
            line("| %d | %.2f | %.2f | %.2f |", run, seconds, copySeconds, seconds / copySeconds);
        }
        line("| **median** | **%.2f** | **%.2f** | **%.2f** |", median(imports), median(copies), median(imports) / median(copies));
        line("");

        line("## Fan-out of one event to %,d recipients (inbox + notice + delivery rows, one transaction)", IMPORT_ROWS);
        line("");
        line("Recipients: one run's imported subscribers (%,d of %,d in the table). Time from producing the record to all "
                + "delivery rows visible (includes Kafka and the consumer); baseline: an INSERT … SELECT of the same "
                + "(event, subscriber) pairs into a plain logged table with only UNIQUE (event_id, subscriber_id).", IMPORT_ROWS, IMPORT_ROWS * REPETITIONS + SUBSCRIBERS + LARGE_FAN_OUT);
        line("");
        line("| run | service, record → rows (s) | plain INSERT … SELECT (s) | service / plain |");
        line("|---|---|---|---|");
        List<Double> fanOuts = new ArrayList<>();
        List<Double> plains = new ArrayList<>();
        for (int run = 1; run <= REPETITIONS; run++) {
            Map<String, Object> event = TestEvents.incidentOpened(UUID.randomUUID(), "Bulk fan-out " + run, "SEV2",
                    List.of(component(importService + "-" + run, "partial_outage", "global")));
            UUID eventId = UUID.fromString((String) event.get("eventId"));
            long start = System.nanoTime();
            TestEvents.publish(event);
            awaitRows(config, eventId, IMPORT_ROWS);
            double seconds = (System.nanoTime() - start) / 1e9;
            // Not a mail benchmark: these notices are withdrawn before the senders get far. Rows a sender holds are
            // skipped, not waited for: one statement over all of them, locking in its own order, deadlocked with
            // the senders' writes.
            while (executeCounting(config, """
                    UPDATE delivery SET status = 'cancelled' WHERE id IN (
                        SELECT id FROM delivery WHERE status = 'pending' ORDER BY id LIMIT 20000 FOR UPDATE SKIP LOCKED)""") > 0) {
                // next slice
            }
            double plain = plainInsertSelect(config, importService + "-" + run);
            fanOuts.add(seconds);
            plains.add(plain);
            line("| %d | %.2f | %.2f | %.2f |", run, seconds, plain, seconds / plain);
        }
        line("| **median** | **%.2f** | **%.2f** | **%.2f** |", median(fanOuts), median(plains), median(fanOuts) / median(plains));
        line("");
        line("Service peak RSS over the whole benchmark (VmHWM): %d MB.", hwm(service.pid()) / 1024);
    }

    /**
     * A started instance is ready before its consumer group has settled (it can take tens of seconds while the group
     * rebalances after the previous instance left): measurements start once every partition of both topics is
     * assigned to one of its consumers.
     */
    private static void awaitPartitionsAssigned() {
        int partitions = PackagedService.TOPICS.get("incident-events") + PackagedService.TOPICS.get("credit-events");
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                TestInfrastructure.kafka().bootstrapServers()))) {
            Awaitility.await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofMillis(200)).until(() -> {
                ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("notification-service"))
                        .describedGroups().get("notification-service").get();
                long assigned = group.members().stream().mapToLong(m -> m.assignment().topicPartitions().size()).sum();
                return group.groupState() == GroupState.STABLE && assigned == partitions;
            });
        }
    }

    /** Between measurements: the senders are idle (nothing pending or being sent). */
    private static void awaitNothingPending(ServiceProcess service) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(100)).until(() -> {
            Map<String, Object> stats = given().baseUri(service.baseUri().toString())
                    .auth().oauth2(TestTokens.forRoles("benchmark", "subscriber-admin"))
                    .get("/api/deliveries/stats").then().statusCode(200).extract().jsonPath().getMap("$");
            return ((Number) stats.get("pending")).longValue() == 0 && ((Number) stats.get("sending")).longValue() == 0;
        });
    }

    private static byte[] csv(int rows, String domain, String service) {
        StringBuilder csv = new StringBuilder("email,name,customerId,services,regions\n");
        for (int i = 0; i < rows; i++) {
            csv.append("user").append(i).append('@').append(domain).append(",User ").append(i).append(",customer-")
                    .append(i % 100).append(',').append(service).append(";teams,eu-west;us-east\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void importCsv(ServiceProcess service, byte[] body) {
        given().baseUri(service.baseUri().toString()).auth().oauth2(TestTokens.forRoles("benchmark", "subscriber-admin"))
                .contentType(Api.CSV).body(body).when().post("/api/subscribers/import").then().statusCode(200);
    }

    private static double rawCopy(Map<String, String> config, byte[] csv) throws SQLException, IOException {
        try (Connection connection = connect(config)) {
            try (Statement ddl = connection.createStatement()) {
                // A logged table with the uniqueness the import enforces (case-insensitive address), nothing else.
                ddl.execute("CREATE TABLE copy_baseline (email text, name text, customer_id text, services text, regions text)");
                ddl.execute("CREATE UNIQUE INDEX ON copy_baseline (lower(email))");
            }
            long start = System.nanoTime();
            CopyManager copy = connection.unwrap(PGConnection.class).getCopyAPI();
            copy.copyIn("COPY copy_baseline FROM STDIN (FORMAT csv, HEADER true)", new java.io.ByteArrayInputStream(csv));
            double seconds = (System.nanoTime() - start) / 1e9;
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("DROP TABLE copy_baseline");
            }
            return seconds;
        }
    }

    private static double plainInsertSelect(Map<String, String> config, String service) throws SQLException {
        try (Connection connection = connect(config); Statement statement = connection.createStatement()) {
            // A logged table with the one constraint exactly-once needs; no matching rule, no other index.
            statement.execute("CREATE TABLE pair_baseline (event_id uuid, subscriber_id uuid, UNIQUE (event_id, subscriber_id))");
            long start = System.nanoTime();
            statement.executeUpdate("INSERT INTO pair_baseline SELECT gen_random_uuid(), id FROM subscriber WHERE '"
                    + service + "' = ANY (services)");
            double seconds = (System.nanoTime() - start) / 1e9;
            statement.execute("DROP TABLE pair_baseline");
            return seconds;
        }
    }

    private static void awaitRows(Map<String, String> config, UUID eventId, long expected) {
        Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20)).until(() -> {
            try (Connection connection = connect(config);
                    PreparedStatement query = connection.prepareStatement("SELECT recipients FROM notice WHERE event_id = ?")) {
                query.setObject(1, eventId);
                try (ResultSet row = query.executeQuery()) {
                    return row.next() && row.getLong(1) >= expected;
                }
            }
        });
    }

    private static List<MimeMessage> awaitCount(MailServer mail, int count, Predicate<MimeMessage> filter) {
        return Awaitility.await().atMost(TIMEOUT).pollInterval(Duration.ofMillis(20))
                .until(() -> mail.receivedMessages().stream().filter(filter).toList(), ours -> ours.size() >= count);
    }

    private static void execute(Map<String, String> config, String sql) throws SQLException {
        executeCounting(config, sql);
    }

    private static int executeCounting(Map<String, String> config, String sql) throws SQLException {
        try (Connection connection = connect(config); Statement statement = connection.createStatement()) {
            return statement.executeUpdate(sql);
        }
    }

    private static Connection connect(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** kB from /proc/<pid>/status. */
    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field + ":")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
            return 0;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long hwm(long pid) {
        return status(pid, "VmHWM");
    }

    /** Samples VmRSS every 50 ms until stopped; returns the peak in kB. */
    private static final class RssSampler {
        private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor();
        private final AtomicLong peak = new AtomicLong();

        RssSampler(long pid) {
            sampler.scheduleAtFixedRate(() -> peak.accumulateAndGet(status(pid, "VmRSS"), Math::max), 0, 50, TimeUnit.MILLISECONDS);
        }

        long stop() throws InterruptedException {
            sampler.shutdown();
            sampler.awaitTermination(5, TimeUnit.SECONDS);
            return peak.get();
        }
    }

    private void machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name")).findFirst()
                .map(l -> l.substring(l.indexOf(':') + 1).strip()).orElse("unknown");
        long memKb = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", ""))).findFirst().orElse(0L);
        line("Machine: %d cores (nproc), %s, %.1f GB RAM, JDK %s (%s), %s", Runtime.getRuntime().availableProcessors(), cpu,
                memKb / 1024.0 / 1024.0, System.getProperty("java.version"), System.getProperty("java.vm.name"),
                java.time.LocalDate.now());
        line("");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void line(String format, Object... args) {
        report.append(String.format(Locale.ROOT, format, args)).append('\n');
    }
}

package dev.incidentplatform.notification.benchmark;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static io.restassured.RestAssured.given;

import java.io.IOException;
import java.io.UncheckedIOException;
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
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyManager;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.PackagedService;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.MailServer;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;
import jakarta.mail.Address;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.MimeMessage;

/**
 * {@code notification-service/benchmarks/run}: the packaged service (ServiceProcess) against its own Kafka, durable
 * PostgreSQL and GreenMail on random ports. Measures, each next to a baseline of the same run:
 * <ul>
 * <li>a 10 000-subscriber fan-out from one incident-opened record to the last email received (emails/s, time to the last
 * email, the service's peak RSS) vs. raw Jakarta Mail sends of the same messages over as many reused connections;</li>
 * <li>the 100 000-line CSV import over REST vs. a raw JDBC COPY of the same rows;</li>
 * <li>the fan-out of one event to 100 000 recipients (delivery rows written) vs. a plain INSERT … SELECT.</li>
 * </ul>
 * Writes target/benchmark-results.md. Not a test of correctness (the tests are); a way to rerun the figures.
 */
class NotificationBenchmark {

    private static final int SUBSCRIBERS = Integer.getInteger("benchmark.subscribers", 10_000);
    private static final int IMPORT_ROWS = Integer.getInteger("benchmark.importRows", 100_000);
    private static final int REPETITIONS = Integer.getInteger("benchmark.repetitions", 3);
    private static final int SENDERS = Integer.getInteger("benchmark.senders", 8);
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final StringBuilder report = new StringBuilder();

    @Test
    void fanOutImportAndBaselines() throws Exception {
        Map<String, String> config = PackagedService.config("notification_bench");
        config.put("notification.senders.pool-size", Integer.toString(SENDERS));
        MailServer mail = TestInfrastructure.mail();
        try (ServiceProcess service = ServiceProcess.of("notification-service-benchmark", config).start()) {
            long pid = service.pid();
            line("# notification-service benchmark");
            line("");
            machine();
            line("Service: packaged (target/quarkus-app), -Xmx256m, %d sender threads (= pooled SMTP connections); "
                    + "PostgreSQL durable (fsync on); Kafka and GreenMail in the benchmark JVM.", SENDERS);
            line("");

            // 10 000 subscribers, all following one service.
            String service10k = "bench-" + UUID.randomUUID().toString().substring(0, 8);
            String domain = service10k + ".example.test";
            importCsv(service, csv(SUBSCRIBERS, domain, service10k));

            line("## Fan-out of one incident-opened to %,d subscribers, to the last email received", SUBSCRIBERS);
            line("");
            line("| run | time to last email (s) | emails/s (service) | peak RSS during run (MB) | raw Jakarta Mail, same messages, %d connections (s) | emails/s (raw) | service / raw |", SENDERS);
            line("|---|---|---|---|---|---|---|");
            List<Double> serviceRates = new ArrayList<>();
            List<Double> rawRates = new ArrayList<>();
            List<Double> lastEmail = new ArrayList<>();
            long peakRss = 0;
            Predicate<MimeMessage> ours = m -> recipient(m).endsWith("@" + domain);
            for (int run = 1; run <= REPETITIONS; run++) {
                mail.purge();
                RssSampler rss = new RssSampler(pid);
                long start = System.nanoTime();
                TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Benchmark outage " + run, "SEV1",
                        List.of(component(service10k, "major_outage", "global"))));
                List<MimeMessage> received = awaitCount(mail, SUBSCRIBERS, ours);
                double seconds = (System.nanoTime() - start) / 1e9;
                long runPeak = rss.stop();
                peakRss = Math.max(peakRss, runPeak);
                double rate = SUBSCRIBERS / seconds;

                mail.purge();
                double rawSeconds = rawSend(mail, received);
                awaitCount(mail, SUBSCRIBERS, ours);
                double rawRate = SUBSCRIBERS / rawSeconds;
                serviceRates.add(rate);
                rawRates.add(rawRate);
                lastEmail.add(seconds);
                line("| %d | %.2f | %.0f | %d | %.2f | %.0f | %.2f |", run, seconds, rate, runPeak / 1024, rawSeconds, rawRate, rate / rawRate);
            }
            line("| **median** | **%.2f** | **%.0f** | **%d (VmHWM since start: %d)** | | **%.0f** | **%.2f** |", median(lastEmail),
                    median(serviceRates), peakRss / 1024, hwm(pid) / 1024, median(rawRates), median(serviceRates) / median(rawRates));
            line("");

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
                    + "(event, subscriber) pairs into a plain logged table with only UNIQUE (event_id, subscriber_id).", IMPORT_ROWS, IMPORT_ROWS * REPETITIONS + SUBSCRIBERS);
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
                // Not a mail benchmark: these notices are withdrawn before the senders get far.
                execute(config, "UPDATE delivery SET status = 'cancelled' WHERE status = 'pending'");
                double plain = plainInsertSelect(config, importService + "-" + run);
                fanOuts.add(seconds);
                plains.add(plain);
                line("| %d | %.2f | %.2f | %.2f |", run, seconds, plain, seconds / plain);
            }
            line("| **median** | **%.2f** | **%.2f** | **%.2f** |", median(fanOuts), median(plains), median(fanOuts) / median(plains));
            line("");
            line("Service peak RSS over the whole benchmark (VmHWM): %d MB.", hwm(pid) / 1024);
        }
        Path out = Path.of("target", "benchmark-results.md");
        Files.writeString(out, report.toString());
        System.out.println(report);
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

    /** The same MIME messages, sent by Jakarta Mail over {@link #SENDERS} connections kept open for the whole run. */
    private static double rawSend(MailServer mail, List<MimeMessage> messages) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", mail.host());
        properties.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
        Session session = Session.getInstance(properties);
        List<MimeMessage> copies = new ArrayList<>();
        for (MimeMessage message : messages) {
            copies.add(new MimeMessage(message));
        }
        ExecutorService pool = Executors.newFixedThreadPool(SENDERS);
        AtomicLong next = new AtomicLong();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int i = 0; i < SENDERS; i++) {
            workers.add(pool.submit(() -> {
                try (Transport transport = session.getTransport("smtp")) {
                    transport.connect();
                    for (long n = next.getAndIncrement(); n < copies.size(); n = next.getAndIncrement()) {
                        MimeMessage message = copies.get((int) n);
                        Address[] to = message.getAllRecipients();
                        transport.sendMessage(message, to);
                    }
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return seconds;
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
        try (Connection connection = connect(config); Statement statement = connection.createStatement()) {
            statement.executeUpdate(sql);
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

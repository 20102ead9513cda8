package dev.incidentplatform.compensation.benchmark;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;

/**
 * incident-service's relay latency while compensation-service applies a large credit run on the same PostgreSQL
 * server, beside a baseline without one, measured in the same run. One embedded, durable PostgreSQL holds both
 * services' databases (transaction ids are server-wide, so a long transaction in one database holds back
 * {@code pg_snapshot_xmin}, and with it the outbox relay, in the other); one Kafka broker; both packaged services
 * in their own JVMs, driven only through their REST APIs and Kafka.
 *
 * <p>Latency of one command: from the 2xx answer to {@code POST /api/incidents/{id}/updates} (the command committed)
 * to the arrival of its {@code update-posted} record (matched by incident id and stream version) at a consumer of
 * {@code incident-events} in this JVM. Commands are posted at a steady rate, one at a time, to a probe incident of a
 * service without contracts. Baseline: the same stream for a fixed time, no credit run. Loaded: the same stream from
 * the moment the outage's resolution is posted (to incident-service, which relays it to compensation-service) until
 * the credit run of N contracts has finished. Beside it, the longest transaction seen on the server (sampled from
 * {@code pg_stat_activity} every 20 ms) and the credit run's chunk durations (compensation-service's
 * {@code compensation_credit_run_chunk_seconds} metric).
 *
 * <p>Arguments: contracts (1000000), commands per second (5), baseline seconds (30). Writes a section of
 * benchmarks/RESULTS.md.
 */
public final class RelayLatencyBenchmark {

    private static final Map<String, Integer> TOPICS = Map.of("incident-events", 6, "credit-events", 6,
            "incident-events.compensation-service.dlq", 1);
    private static final String WRITER = TestTokens.forRoles("bench@ops.example", "incident-writer");
    private static final String ADMIN = TestTokens.forRoles("bench@billing.example", "billing-admin");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SECTION = "## Relay latency during a credit run";
    private static final Pattern ETAG = Pattern.compile("\"([0-9]+)\"");

    private final ServiceProcess incidents;
    private final ServiceProcess compensation;
    private final Map<String, String> compensationConfig;
    /** (incident id/stream version) → nanoTime the record arrived here. */
    private final Map<String, Long> arrivals = new ConcurrentHashMap<>();
    private final AtomicBoolean consuming = new AtomicBoolean(true);

    private RelayLatencyBenchmark(ServiceProcess incidents, ServiceProcess compensation, Map<String, String> compensationConfig) {
        this.incidents = incidents;
        this.compensation = compensation;
        this.compensationConfig = compensationConfig;
    }

    public static void main(String[] args) throws Exception {
        int contracts = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        double rate = args.length > 1 ? Double.parseDouble(args[1]) : 5;
        int baselineSeconds = args.length > 2 ? Integer.parseInt(args[2]) : 30;
        if (!Boolean.parseBoolean(System.getProperty(TestInfrastructure.DURABLE_SETTING, System.getenv(TestInfrastructure.DURABLE_SETTING)))) {
            System.err.println("Set TEST_POSTGRES_DURABLE=true: figures without fsync mean nothing.");
            System.exit(2);
        }
        Map<String, String> incidentConfig = new LinkedHashMap<>(ServiceProcess.infrastructureConfig("incident_latency", TOPICS));
        Map<String, String> compensationConfig = new LinkedHashMap<>(ServiceProcess.infrastructureConfig("compensation_latency", TOPICS));
        compensationConfig.put("quarkus.log.category.\"dev.incidentplatform\".level", "WARN");
        incidentConfig.put("quarkus.log.category.\"dev.incidentplatform\".level", "WARN");
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        List<String> report = new ArrayList<>();
        try (ServiceProcess incidents = ServiceProcess.of("incident-service-latency",
                Path.of("..", "incident-service", "target", "quarkus-app", "quarkus-run.jar"), incidentConfig).start();
                ServiceProcess compensation = ServiceProcess.of("compensation-service-latency", compensationConfig).start()) {
            report.addAll(new RelayLatencyBenchmark(incidents, compensation, compensationConfig).measure(contracts, rate, baselineSeconds));
        }
        report.add("");
        report.add("Load average (1, 5, 15 min, /proc/loadavg) before: " + loadBefore + "; after: "
                + Files.readString(Path.of("/proc/loadavg")).trim() + ".");
        writeSection(report);
        System.exit(0);
    }

    private List<String> measure(int contracts, double rate, int baselineSeconds) throws Exception {
        Thread consumer = new Thread(this::consume, "incident-events-reader");
        consumer.setDaemon(true);
        consumer.start();
        String service = "latency-" + UUID.randomUUID().toString().substring(0, 8);
        long importStart = System.nanoTime();
        importContracts(service, contracts);
        long importMs = (System.nanoTime() - importStart) / 1_000_000;
        System.out.printf(Locale.ROOT, "imported %,d contracts in %,d ms%n", contracts, importMs);

        // Warm-up: JIT, connection pools, the consumer's assignment.
        long warmUpEnd = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        probe(rate, () -> System.nanoTime() < warmUpEnd, new TransactionSampler(null));

        TransactionSampler quiet = new TransactionSampler(null);
        long baselineEnd = System.nanoTime() + Duration.ofSeconds(baselineSeconds).toNanos();
        List<Long> baseline = probe(rate, () -> System.nanoTime() < baselineEnd, quiet);

        // The outage: 300 minutes of global major outage in July 2024 (every contract gets 10 %, 25 % or 3 days).
        String outage = openIncident(service, "major_outage", "2024-07-19T04:00:00Z");
        TransactionSampler loaded = new TransactionSampler(service);
        long runStart = System.nanoTime();
        post(outage, "resolved", service, "operational", "2024-07-19T09:00:00Z");
        List<Long> during = probe(rate, () -> !loaded.runFinished(), loaded);
        long runMs = (System.nanoTime() - runStart) / 1_000_000;
        long entries = loaded.runEntries();
        consuming.set(false);

        String chunks = chunkMetric();
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "Measured %s. %,d contracts imported in %,d ms; the credit run (resolution posted → "
                + "run finished) took %,d ms for %,d ledger entries. Commands at %.1f/s.", Instant.now(), contracts, importMs,
                runMs, entries, rate));
        lines.add("");
        lines.add("| relay latency, POST 2xx → record consumed (ms) | commands | p50 | p99 | max | longest transaction on the server (ms) |");
        lines.add("|---|---|---|---|---|---|");
        lines.add(row("baseline, no credit run (" + baselineSeconds + " s)", baseline, quiet));
        lines.add(row("during the credit run of " + String.format(Locale.ROOT, "%,d", contracts) + " contracts", during, loaded));
        lines.add(String.format(Locale.ROOT, "| ratio p50 / p99, during ÷ baseline | | %.2f | %.2f | | |",
                (double) percentile(during, 50) / Math.max(1, percentile(baseline, 50)),
                (double) percentile(during, 99) / Math.max(1, percentile(baseline, 99))));
        lines.add("");
        lines.add("Credit-run chunks (compensation_credit_run_chunk_seconds): " + chunks + ". Longest transaction during the run: "
                + loaded.longestDescription() + ".");
        return lines;
    }

    /** Posts updates to a fresh probe incident at {@code rate} while {@code more}; the latencies in ms. */
    private List<Long> probe(double rate, BooleanSupplier more, TransactionSampler sampler) throws Exception {
        String probe = openIncident("latency-probe", "degraded_performance", Instant.now().minusSeconds(60).toString());
        Map<String, Long> answered = new LinkedHashMap<>();
        long interval = (long) (1_000_000_000L / rate);
        long next = System.nanoTime();
        int n = 0;
        sampler.start();
        try {
            while (more.getAsBoolean()) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
                next += interval;
                String status = n++ % 2 == 0 ? "identified" : "monitoring";
                answered.put(probe + "/" + post(probe, status, "latency-probe", "degraded_performance", null), System.nanoTime());
            }
        } finally {
            sampler.stop();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
        while (!arrivals.keySet().containsAll(answered.keySet())) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("records missing on incident-events");
            }
            Thread.sleep(50);
        }
        List<Long> latencies = new ArrayList<>();
        answered.forEach((key, at) -> latencies.add((arrivals.get(key) - at) / 1_000_000));
        return latencies;
    }

    private void consume() {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, compensationConfig.get("kafka.bootstrap.servers"));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "latency-" + UUID.randomUUID());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor("incident-events").stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToEnd(partitions);
            partitions.forEach(consumer::position);
            while (consuming.get()) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(10))) {
                    long now = System.nanoTime();
                    JsonNode event = JSON.readTree(record.value());
                    arrivals.put(event.path("incidentId").asText() + "/" + event.path("streamVersion").asLong(), now);
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private String openIncident(String service, String status, String startedAt) throws Exception {
        HttpResponse<String> response = send(incidents, "/api/incidents", WRITER, "application/json", JSON.writeValueAsString(Map.of(
                "title", "Latency benchmark", "severity", "SEV2", "message", "Benchmark incident.", "startedAt", startedAt,
                "components", List.of(Map.of("service", service, "regions", List.of("global"), "status", status)))));
        return JSON.readTree(response.body()).get("id").asText();
    }

    /** Posts an update; the incident's stream version after it (from the ETag). */
    private long post(String incident, String status, String service, String componentStatus, String effectiveAt) throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status);
        body.put("message", "Benchmark update.");
        body.put("components", List.of(Map.of("service", service, "regions", List.of("global"), "status", componentStatus)));
        if (effectiveAt != null) {
            body.put("effectiveAt", effectiveAt);
        }
        HttpResponse<String> response = send(incidents, "/api/incidents/" + incident + "/updates", WRITER, "application/json",
                JSON.writeValueAsString(body));
        Matcher version = ETAG.matcher(response.headers().firstValue("ETag").orElseThrow());
        if (!version.find()) {
            throw new IllegalStateException("no version in the ETag of " + response.headers());
        }
        return Long.parseLong(version.group(1));
    }

    private void importContracts(String service, int contracts) throws Exception {
        Path csv = Files.createTempFile(Path.of("target"), "contracts-", ".csv");
        try {
            CreditBenchmark.writeCsv(csv, service, contracts);
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(compensation.baseUri().resolve("/api/contracts/import"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "text/csv")
                    .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofFile(csv)).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                throw new IllegalStateException("import failed: " + response.statusCode() + " " + response.body());
            }
        } finally {
            Files.deleteIfExists(csv);
        }
    }

    private static HttpResponse<String> send(ServiceProcess service, String path, String token, String type, String body)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(service.baseUri().resolve(path))
                .header("Authorization", "Bearer " + token).header("Content-Type", type).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(path + ": " + response.statusCode() + " " + response.body());
        }
        return response;
    }

    private String chunkMetric() throws Exception {
        String metrics = HTTP.send(HttpRequest.newBuilder(compensation.baseUri().resolve("/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        Map<String, Double> values = new LinkedHashMap<>();
        for (String line : metrics.split("\n")) {
            if (line.startsWith("compensation_credit_run_chunk_seconds")) {
                String[] parts = line.split(" ");
                // "name{tags} value", and an exemplar after it (" # {trace_id=…} …") when tracing is on.
                values.put(parts[0].replaceAll("\\{.*}", ""), Double.parseDouble(parts[1]));
            }
        }
        double count = values.getOrDefault("compensation_credit_run_chunk_seconds_count", 0.0);
        double sum = values.getOrDefault("compensation_credit_run_chunk_seconds_sum", 0.0);
        double max = values.getOrDefault("compensation_credit_run_chunk_seconds_max", 0.0);
        return String.format(Locale.ROOT, "%,.0f chunks, mean %.0f ms, max %.0f ms (the max of the last two minutes)", count,
                count == 0 ? 0 : sum / count * 1000, max * 1000);
    }

    private static String row(String label, List<Long> latencies, TransactionSampler sampler) {
        return String.format(Locale.ROOT, "| %s | %d | %d | %d | %d | %,d |", label, latencies.size(), percentile(latencies, 50),
                percentile(latencies, 99), Collections.max(latencies), sampler.longestMillis());
    }

    /** Nearest-rank percentile. */
    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }

    /**
     * Samples the server's open transactions every 20 ms (client backends of any database): the longest seen, and
     * with {@code service} the state of that service's credit run.
     */
    private final class TransactionSampler {
        private final String service;
        private volatile long longestMillis;
        private volatile String longestQuery = "none";
        private volatile boolean finished;
        private volatile long entries;
        private Thread thread;
        private volatile boolean sampling;

        TransactionSampler(String service) {
            this.service = service;
        }

        void start() {
            sampling = true;
            thread = new Thread(this::sample, "transaction-sampler");
            thread.setDaemon(true);
            thread.start();
        }

        void stop() throws InterruptedException {
            sampling = false;
            thread.join();
        }

        boolean runFinished() {
            return finished;
        }

        long runEntries() {
            return entries;
        }

        long longestMillis() {
            return longestMillis;
        }

        String longestDescription() {
            return String.format(Locale.ROOT, "%,d ms (%s)", longestMillis, longestQuery);
        }

        private void sample() {
            try (Connection c = database(); PreparedStatement open = c.prepareStatement("""
                    SELECT datname, (extract(epoch FROM clock_timestamp() - xact_start) * 1000)::bigint AS millis,
                           left(regexp_replace(query, '\\s+', ' ', 'g'), 80) AS query
                    FROM pg_stat_activity
                    WHERE backend_type = 'client backend' AND xact_start IS NOT NULL AND pid <> pg_backend_pid()
                    ORDER BY xact_start LIMIT 1""");
                    PreparedStatement run = c.prepareStatement(
                            "SELECT bool_and(finished_at IS NOT NULL) AS finished, sum(entries) AS entries FROM credit_run WHERE service = ?")) {
                int n = 0;
                while (sampling) {
                    try (ResultSet rows = open.executeQuery()) {
                        if (rows.next() && rows.getLong("millis") > longestMillis) {
                            longestMillis = rows.getLong("millis");
                            longestQuery = rows.getString("datname") + ": " + rows.getString("query");
                        }
                    }
                    if (service != null && n++ % 25 == 0) {
                        run.setString(1, service);
                        try (ResultSet rows = run.executeQuery()) {
                            rows.next();
                            entries = rows.getLong("entries");
                            finished = rows.getBoolean("finished") && entries > 0;
                        }
                    }
                    Thread.sleep(20);
                }
            } catch (SQLException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(compensationConfig.get("quarkus.datasource.jdbc.url"),
                compensationConfig.get("quarkus.datasource.username"), compensationConfig.get("quarkus.datasource.password"));
    }

    private static void writeSection(List<String> report) throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replace("MemTotal:", "").trim()).orElse("unknown");
        List<String> section = new ArrayList<>();
        section.add(SECTION);
        section.add("");
        section.add("Reproduce: `compensation-service/benchmarks/relay-latency [contracts=1000000] [commands-per-second=5] "
                + "[baseline-seconds=30]`.");
        section.add("");
        section.add("Machine: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpu + ", RAM " + memory + ", JDK "
                + System.getProperty("java.vm.name") + " " + System.getProperty("java.version") + ". One embedded PostgreSQL 15 "
                + "(durable) with both services' databases, Kafka 4.1.2 in the benchmark JVM, incident-service and "
                + "compensation-service packaged, each in its own JVM (-Xmx256m).");
        section.add("");
        section.addAll(report);
        section.add("");
        section.add("Method: the latency of a command runs from the 2xx answer of `POST /api/incidents/{id}/updates` (the "
                + "command committed) to the arrival of its `update-posted` record, matched by incident id and stream version, "
                + "at a `read_committed` consumer in the benchmark JVM; one command at a time at a steady rate to a probe incident "
                + "of a service without contracts. The baseline is the same stream before the outage; \"during\" runs from the "
                + "moment the outage's resolution is posted to incident-service until compensation-service's credit run has "
                + "finished (so it includes the relay of the resolution, the consumer's planning transaction and every chunk, "
                + "with the credit relay publishing meanwhile). The longest transaction is sampled from `pg_stat_activity` "
                + "every 20 ms over every database of the server.");
        Path results = Path.of("benchmarks", "RESULTS.md");
        List<String> lines = new ArrayList<>(Files.exists(results) ? Files.readAllLines(results) : List.of());
        int start = lines.indexOf(SECTION);
        if (start >= 0) {
            int end = start + 1;
            while (end < lines.size() && !lines.get(end).startsWith("## ")) {
                end++;
            }
            lines.subList(start, end).clear();
            lines.addAll(start, section);
        } else {
            lines.add("");
            lines.addAll(section);
        }
        Files.write(results, lines);
        System.out.println(String.join("\n", section));
    }
}

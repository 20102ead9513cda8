package dev.incidentplatform.compensation.benchmark;

import static dev.incidentplatform.compensation.Incidents.component;

import java.io.BufferedWriter;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;

import dev.incidentplatform.compensation.Incidents;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;

/**
 * Time to credit N contracts for one incident, with the packaged service (its own JVM, -Xmx256m) against a real,
 * durable PostgreSQL and a real Kafka broker started here on random ports. For each run: import N contracts through
 * the CSV endpoint, produce incident-opened + resolved, measure from the moment the resolution is on the broker to
 * (a) all N credits in the ledger and (b) all N credit-issued records on the broker; beside it the baseline, a plain
 * INSERT … SELECT of N comparable rows (same table shape and indexes, no logic) in the same database. Then a
 * 1 000 000-line CSV import, and one incident crediting those 1 000 000 contracts.
 *
 * <p>Arguments: contracts per run (100000), runs (5), lines of the large import (1000000; 0 skips it and the
 * million-contract credit). Writes benchmarks/RESULTS.md.
 */
public final class CreditBenchmark {

    private static final String ADMIN = TestTokens.forRoles("bench@billing.example", "billing-admin");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private final Map<String, String> config;
    private final ServiceProcess service;
    private final KafkaConsumer<String, String> credits;

    private CreditBenchmark(Map<String, String> config, ServiceProcess service) {
        this.config = config;
        this.service = service;
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.get("kafka.bootstrap.servers"));
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "benchmark-" + UUID.randomUUID());
        properties.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 5000);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        credits = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer());
        List<TopicPartition> partitions = credits.partitionsFor("credit-events").stream()
                .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
        credits.assign(partitions);
        credits.seekToEnd(partitions);
        partitions.forEach(credits::position);
    }

    public static void main(String[] args) throws Exception {
        int contracts = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int runs = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int largeImport = args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000;
        if (!Boolean.parseBoolean(System.getProperty(TestInfrastructure.DURABLE_SETTING, System.getenv(TestInfrastructure.DURABLE_SETTING)))) {
            System.err.println("Set TEST_POSTGRES_DURABLE=true: figures without fsync mean nothing.");
            System.exit(2);
        }
        Map<String, String> config = new LinkedHashMap<>(ServiceProcess.infrastructureConfig("compensation_bench",
                Map.of("incident-events", 6, "credit-events", 6, "incident-events.compensation-service.dlq", 1)));
        config.put("quarkus.log.category.\"dev.incidentplatform\".level", "WARN");
        ServiceProcess service = ServiceProcess.of("compensation-service-bench", config).start();
        List<String> report = new ArrayList<>();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        try {
            CreditBenchmark benchmark = new CreditBenchmark(config, service);
            List<Long> imports = new ArrayList<>();
            List<Long> ledger = new ArrayList<>();
            List<Long> published = new ArrayList<>();
            List<Long> baseline = new ArrayList<>();
            benchmark.run(2_000, null, null, null, null); // warm-up: JIT, connection pools, consumer assignment
            for (int run = 1; run <= runs; run++) {
                benchmark.run(contracts, imports, ledger, published, baseline);
                System.out.printf(Locale.ROOT, "run %d: import %d ms, ledger %d ms, published %d ms, baseline INSERT…SELECT %d ms%n",
                        run, last(imports), last(ledger), last(published), last(baseline));
            }
            report.add(String.format(Locale.ROOT, "| %,d contracts, one incident (%d runs) | median | all runs (ms) |", contracts, runs));
            report.add("|---|---|---|");
            report.add(row("CSV import of the contracts (POST /api/contracts/import)", imports));
            report.add(row("resolution on the broker → all credits in the ledger", ledger));
            report.add(row("resolution on the broker → all credit-issued on the broker", published));
            report.add(row("baseline: plain INSERT … SELECT of the same number of credit rows", baseline));
            report.add(String.format(Locale.ROOT, "| ratio ledger / baseline | %.2f | |", (double) median(ledger) / median(baseline)));
            report.add(String.format(Locale.ROOT, "| credits per second into the ledger (median) | %,.0f | |", contracts * 1000.0 / median(ledger)));
            report.add(String.format(Locale.ROOT, "| credit-issued per second end to end (median) | %,.0f | |", contracts * 1000.0 / median(published)));
            if (largeImport > 0) {
                List<Long> millionImport = new ArrayList<>();
                List<Long> millionLedger = new ArrayList<>();
                List<Long> millionPublished = new ArrayList<>();
                List<Long> millionBaseline = new ArrayList<>();
                benchmark.run(largeImport, millionImport, millionLedger, millionPublished, millionBaseline);
                report.add("");
                report.add(String.format(Locale.ROOT, "| %,d contracts, one incident (1 run) | ms | |", largeImport));
                report.add("|---|---|---|");
                report.add(row("CSV import, one streaming request, all-or-nothing", millionImport));
                report.add(row("resolution → all credits in the ledger (service heap -Xmx256m)", millionLedger));
                report.add(row("resolution → all credit-issued on the broker", millionPublished));
                report.add(row("baseline: plain INSERT … SELECT of the same number of rows", millionBaseline));
            }
        } finally {
            service.close();
        }
        report.add("");
        report.add("Load average (1, 5, 15 min, from /proc/loadavg) before: " + loadBefore + "; after: "
                + Files.readString(Path.of("/proc/loadavg")).trim() + ". The machine's 2 cores are shared with other builds.");
        writeResults(contracts, runs, report);
        System.exit(0);
    }

    private static long last(List<Long> list) {
        return list.get(list.size() - 1);
    }

    private static String row(String label, List<Long> millis) {
        return String.format(Locale.ROOT, "| %s | %,d | %s |", label, median(millis),
                millis.stream().map(String::valueOf).collect(Collectors.joining(", ")));
    }

    static long median(List<Long> values) {
        List<Long> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private void run(int contracts, List<Long> imports, List<Long> ledger, List<Long> published, List<Long> baseline)
            throws Exception {
        String service = "bench-" + UUID.randomUUID().toString().substring(0, 8);
        Path csv = Files.createTempFile(Path.of("target"), "contracts-", ".csv");
        try {
            writeCsv(csv, service, contracts);
            long start = System.nanoTime();
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(service().resolve("/api/contracts/import"))
                    .header("Authorization", "Bearer " + ADMIN).header("Content-Type", "text/csv")
                    .timeout(Duration.ofMinutes(30)).POST(HttpRequest.BodyPublishers.ofFile(csv)).build(),
                    HttpResponse.BodyHandlers.ofString());
            long importMs = millisSince(start);
            if (response.statusCode() != 200) {
                throw new IllegalStateException("import failed: " + response.statusCode() + " " + response.body());
            }
            add(imports, importMs);
        } finally {
            Files.deleteIfExists(csv);
        }

        Incidents incident = new Incidents();
        // 300 minutes of global major outage in July 2024: every contract gets 10 % (azure-99.9) or 3 days.
        Incidents.send(incident.opened("2024-07-19T04:00:00Z", component(service, "major_outage", "global")));
        long start = System.nanoTime();
        Incidents.send(incident.resolved("2024-07-19T09:00:00Z", component(service, "operational", "global")));
        Set<String> seen = new HashSet<>(contracts * 2);
        long ledgerMs = -1;
        long nextLedgerCheck = 0;
        long deadline = System.nanoTime() + Duration.ofMinutes(30).toNanos();
        while (seen.size() < contracts) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("only " + seen.size() + " of " + contracts + " credits published");
            }
            for (ConsumerRecord<String, String> record : credits.poll(Duration.ofMillis(20))) {
                if (record.key().startsWith(service)) {
                    seen.add(new String(record.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8));
                }
            }
            if (ledgerMs < 0 && System.nanoTime() >= nextLedgerCheck) {
                // Counting is itself work for the database: a few times a second is precise enough for seconds.
                nextLedgerCheck = System.nanoTime() + 100_000_000L;
                if (ledgerCount(incident.id()) >= contracts) {
                    ledgerMs = millisSince(start);
                }
            }
        }
        long publishedMs = millisSince(start);
        if (ledgerMs < 0) {
            ledgerMs = publishedMs;
        }
        add(ledger, ledgerMs);
        add(published, publishedMs);
        add(baseline, baseline(service));
    }

    private static void add(List<Long> list, long value) {
        if (list != null) {
            list.add(value);
        }
    }

    private URI service() {
        return service.baseUri();
    }

    /** N contracts of {@code service}: four region sets, policies azure-99.9, m365-99.9 and extension-99.9. */
    static void writeCsv(Path file, String service, int contracts) throws IOException {
        String[] regions = { "global", "eu-west", "us-east;eu-west", "ap-south" };
        String[] policies = { "azure-99.9", "azure-99.9", "m365-99.9", "extension-99.9" };
        try (BufferedWriter out = Files.newBufferedWriter(file)) {
            out.write("customerId,service,regions,amount,currency,policyId,effectiveFrom\n");
            for (int i = 0; i < contracts; i++) {
                out.write(service + "-customer-" + i + "," + service + "," + regions[i % 4] + "," + (100 + i % 9_973) + "."
                        + (10 + i % 90) + ",USD," + policies[(i / 4) % 4] + ",2024-01\n");
            }
        }
    }

    private long ledgerCount(UUID incidentId) throws SQLException {
        try (Connection c = database(); PreparedStatement query = c.prepareStatement("SELECT count(*) FROM credit WHERE incident_id = ?")) {
            query.setObject(1, incidentId);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    /** The same number of rows of the ledger's shape (identity, defaults, indexes, unique key) from the same join. */
    private long baseline(String service) throws SQLException {
        try (Connection c = database(); Statement statement = c.createStatement()) {
            statement.execute("CREATE TABLE IF NOT EXISTS baseline_credit (LIKE credit INCLUDING ALL)");
            statement.execute("TRUNCATE baseline_credit");
            long start = System.nanoTime();
            statement.execute("""
                    INSERT INTO baseline_credit (decision_id, contract_id, contract_version, customer_id, service, billing_month,
                        incident_id, status, kind, monthly_fee, currency, credit_percent, amount, actor, correlation_id, causation_id)
                    SELECT gen_random_uuid(), c.contract_id, v.version, c.customer_id, c.service, DATE '2024-07-01',
                           gen_random_uuid(), 'issued', 'original', v.monthly_fee, v.currency, 10, round(v.monthly_fee * 0.1, 2),
                           'baseline', 'baseline', 'baseline'
                    FROM contract c JOIN contract_version v ON v.contract_id = c.contract_id
                    WHERE c.service = '%s'""".formatted(service));
            return millisSince(start);
        }
    }

    private Connection database() throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }

    private static long millisSince(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static void writeResults(int contracts, int runs, List<String> report) throws IOException, InterruptedException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        String memory = Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal"))
                .findFirst().map(l -> l.replace("MemTotal:", "").trim()).orElse("unknown");
        List<String> lines = new ArrayList<>();
        lines.add("# compensation-service benchmark results");
        lines.add("");
        lines.add("Reproduce: `compensation-service/benchmarks/run` (arguments: contracts per run, runs, lines of the large import).");
        lines.add("");
        lines.add("Measured " + Instant.now() + " on: " + Runtime.getRuntime().availableProcessors() + " cores (nproc), " + cpu
                + ", RAM " + memory + ", JDK " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version")
                + ". PostgreSQL " + "15 (embedded, durable: fsync and synchronous_commit on), Kafka 4.1.2 (in the benchmark "
                + "JVM), the packaged service in its own JVM (-Xmx256m); all on the same machine, which other builds share.");
        lines.add("");
        lines.addAll(report);
        lines.add("");
        Path results = Path.of("benchmarks", "RESULTS.md");
        List<String> existing = Files.exists(results) ? Files.readAllLines(results) : List.of();
        int notes = existing.indexOf("## Notes");
        if (notes >= 0) {
            lines.addAll(existing.subList(notes, existing.size()));
        }
        Files.write(results, lines);
        System.out.println(String.join("\n", lines));
    }
}

package dev.incidentplatform.system;

import static dev.incidentplatform.system.ReplicatedSystem.as;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.HdrHistogram.Histogram;
import org.awaitility.Awaitility;

import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.system.TimedMailServer.Accepted;

/**
 * End-to-end latency of the whole system: an update posted to incident-service → the mail that shows it accepted by
 * the SMTP server, over {@code updates} updates at a steady {@code rate} per second, first with two instances of each
 * packaged service (the posts alternate between the two incident-service instances), then, as the baseline of the
 * same run, with one (the second instances stopped).
 *
 * <p>Each update goes to one of {@value #INCIDENTS} open incidents in turn, each followed by one subscriber, so that
 * an incident's updates are seconds apart and each is its own mail. The clock is this JVM's: the post's start and
 * GreenMail's acceptance of the mail (its delivery, before it answers the end of DATA).
 *
 * <pre>system-test/benchmarks/end-to-end-latency [updates=300] [rate=10]</pre>
 */
public final class EndToEndLatencyBenchmark {

    private static final int INCIDENTS = 50;
    private static final int WARM_UP = 100;
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private final TimedMailServer mail;
    private final ReplicatedSystem system;
    private final List<String> incidents = new ArrayList<>();
    private final Map<Integer, Long> postedAt = new ConcurrentHashMap<>();
    private final Map<Integer, String> incidentOf = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicInteger failedPosts = new AtomicInteger();

    private EndToEndLatencyBenchmark(TimedMailServer mail, ReplicatedSystem system) {
        this.mail = mail;
        this.system = system;
    }

    public static void main(String[] args) throws Exception {
        int updates = args.length > 0 ? Integer.parseInt(args[0]) : 300;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        try (TimedMailServer mail = new TimedMailServer(freePort()); ReplicatedSystem system = ReplicatedSystem.start(2, configs(mail))) {
            EndToEndLatencyBenchmark benchmark = new EndToEndLatencyBenchmark(mail, system);
            benchmark.openIncidents();
            benchmark.measure(WARM_UP, rate, 2);
            Histogram replicated = benchmark.measure(updates, rate, 2);
            for (String service : List.of("incident-service", "notification-service", "compensation-service")) {
                system.instance(service, 2).stop();
            }
            benchmark.measure(WARM_UP, rate, 1);
            Histogram single = benchmark.measure(updates, rate, 1);
            benchmark.report(updates, rate, replicated, single);
        }
        System.exit(0);
    }

    private static Map<String, Map<String, String>> configs(TimedMailServer mail) {
        Map<String, Map<String, String>> configs = new LinkedHashMap<>();
        configs.put("incident-service", ServiceProcess.infrastructureConfig("latency_incident", OutageScenario.TOPICS));
        Map<String, String> notification = ServiceProcess.infrastructureConfig("latency_notification", OutageScenario.TOPICS);
        notification.put("quarkus.mailer.host", "127.0.0.1");
        notification.put("quarkus.mailer.port", Integer.toString(mail.port()));
        notification.put("platform.links.public-base-url", "https://status.example.test");
        notification.put("notification.unsubscribe.key", "benchmark-unsubscribe-key-of-32-bytes-or-more");
        notification.put("notification.webhooks.encryption-key", "c3lzdGVtLXRlc3Qtd2ViaG9vay1lbmNyeXB0aW9uLWs=");
        configs.put("notification-service", notification);
        configs.put("compensation-service", ServiceProcess.infrastructureConfig("latency_compensation", OutageScenario.TOPICS));
        // No collector runs here: spans are made but not exported.
        configs.values().forEach(config -> config.put("quarkus.otel.sdk.disabled", "true"));
        return configs;
    }

    private void openIncidents() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        ServiceProcess notifications = system.instance("notification-service", 1);
        for (int i = 0; i < INCIDENTS; i++) {
            String service = "latency-" + run + "-" + i;
            as(notifications, "subscriber-admin").contentType("application/json")
                    .body(Map.of("email", "oncall-" + i + "@latency.example.test", "services", List.of(service), "regions", List.of()))
                    .post("/api/subscribers").then().statusCode(201);
            incidents.add(as(system.instance("incident-service", 1 + i % 2), "incident-writer").contentType("application/json")
                    .body(Map.of("title", "Latency " + i, "severity", "SEV2", "message", "Investigating.",
                            "components", List.of(Map.of("service", service, "regions", List.of("global"), "status", "major_outage"))))
                    .post("/api/incidents").then().statusCode(201).extract().<String>path("id"));
        }
        awaitMails(INCIDENTS);
    }

    /** Posts {@code updates} updates at {@code rate} per second and returns their latencies (µs). */
    private Histogram measure(int updates, int rate, int incidentInstances) throws InterruptedException {
        int first = next.get();
        int mailsBefore = mail.accepted().size();
        ScheduledExecutorService clock = Executors.newScheduledThreadPool(4);
        for (int u = 0; u < updates; u++) {
            int number = next.getAndIncrement();
            clock.schedule(() -> post(number, incidentInstances), u * 1_000_000L / rate, TimeUnit.MICROSECONDS);
        }
        clock.shutdown();
        clock.awaitTermination(updates / rate + 60, TimeUnit.SECONDS);
        awaitMails(mailsBefore + updates - failedPosts.get());
        Map<String, List<Accepted>> byIncident = new HashMap<>();
        for (Accepted accepted : mail.accepted()) {
            byIncident.computeIfAbsent(Mails.header(accepted.message(), "X-Incident-Id"), k -> new ArrayList<>()).add(accepted);
        }
        Histogram latencies = new Histogram(3);
        for (int number = first; number < first + updates; number++) {
            Long posted = postedAt.get(number);
            if (posted == null) {
                continue;
            }
            // The first mail of the update's incident that shows it (or a later update of the same incident).
            long shown = Long.MAX_VALUE;
            for (Accepted accepted : byIncident.getOrDefault(incidentOf.get(number), List.of())) {
                if (accepted.nanos() >= posted && TimedMailServer.latestUpdate(accepted.message()) >= number) {
                    shown = Math.min(shown, accepted.nanos());
                }
            }
            if (shown == Long.MAX_VALUE) {
                throw new IllegalStateException("no mail showed update " + number);
            }
            latencies.recordValue(Math.max(1, (shown - posted) / 1000));
        }
        return latencies;
    }

    private void post(int number, int incidentInstances) {
        String incident = incidents.get(number % INCIDENTS);
        ServiceProcess instance = system.instance("incident-service", 1 + number % incidentInstances);
        incidentOf.put(number, incident);
        long start = System.nanoTime();
        int status = as(instance, "incident-writer").contentType("application/json")
                .body(Map.of("status", "identified", "message", "Benchmark update " + number + "."))
                .post("/api/incidents/" + incident + "/updates").then().extract().statusCode();
        if (status == 201) {
            postedAt.put(number, start);
        } else {
            failedPosts.incrementAndGet();
            System.err.println("update " + number + " answered " + status);
        }
    }

    private void awaitMails(int count) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> mail.accepted().size() >= count);
    }

    private void report(int updates, int rate, Histogram replicated, Histogram single) throws IOException {
        String machine = Runtime.getRuntime().availableProcessors() + " cores (" + cpuModel() + "), JDK "
                + Runtime.version() + ", " + LocalDate.now();
        String text = String.format("""
                ## End-to-end latency (%s)

                update posted → mail accepted by the SMTP server, %d updates at %d/s after %d to warm up, one mail each:

                | instances of each service | p50 | p90 | p99 | max |
                |---|---|---|---|---|
                | 2 (posts alternate between the incident-service instances) | %s | %s | %s | %s |
                | 1 (baseline, same run: the second instances stopped) | %s | %s | %s | %s |

                Machine: %s. Failed posts: %d.
                """, LocalDate.now(), updates, rate, WARM_UP, ms(replicated, 50), ms(replicated, 90), ms(replicated, 99),
                ms(replicated.getMaxValue()), ms(single, 50), ms(single, 90), ms(single, 99), ms(single.getMaxValue()), machine,
                failedPosts.get());
        System.out.println(text);
        Path results = Path.of("target", "end-to-end-latency.md");
        Files.writeString(results, text);
        System.out.println("written to " + results.toAbsolutePath());
    }

    private static String ms(Histogram histogram, double percentile) {
        return ms(histogram.getValueAtPercentile(percentile));
    }

    private static String ms(long micros) {
        return String.format("%.0f ms", micros / 1000.0);
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(line -> line.startsWith("model name"))
                    .map(line -> line.substring(line.indexOf(':') + 1).trim()).findFirst().orElse("unknown CPU");
        } catch (IOException e) {
            return "unknown CPU";
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}

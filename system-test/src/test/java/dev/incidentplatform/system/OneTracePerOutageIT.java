package dev.incidentplatform.system;

import static dev.incidentplatform.system.ReplicatedSystem.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.system.OtlpTraceReceiver.ReceivedSpan;
import dev.incidentplatform.testsupport.MailServer;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.opentelemetry.proto.trace.v1.Span.SpanKind;

/**
 * One trace per outage: the three packaged services export their spans over OTLP/HTTP to a receiver in this JVM, and
 * the resolving update of an incident, posted with a traceparent the test chose, is followed through every service
 * in that one trace: the POST, the event-store append, the relay's publish, each consumer's handling, the mail sent
 * from the delivery row, the credit-run chunk, the credit's publish, its consumption and its mail. Each span's parent
 * is checked, so the context is shown to cross the outbox, Kafka's {@code ce_traceparent}, the credit run and the
 * delivery rows, not merely to reuse a trace id.
 */
class OneTracePerOutageIT {

    private static final Duration PATIENCE = Duration.ofSeconds(120);
    private static final List<ServiceProcess> SERVICES = new ArrayList<>();
    private static OtlpTraceReceiver receiver;
    private static ServiceProcess incidents;
    private static ServiceProcess notifications;
    private static ServiceProcess compensation;

    @BeforeAll
    static void startTheSystemWithTracing() {
        receiver = new OtlpTraceReceiver();
        incidents = start("incident-service", traced(ServiceProcess.infrastructureConfig("trace_incident",
                OutageScenario.TOPICS)));
        Map<String, String> notificationConfig = traced(ServiceProcess.infrastructureConfigWithMail("trace_notification",
                OutageScenario.TOPICS));
        notificationConfig.put("platform.links.public-base-url", "https://status.example.test");
        notificationConfig.put("notification.unsubscribe.key", "system-test-unsubscribe-key-of-32-bytes-or-more");
        notificationConfig.put("notification.webhooks.encryption-key", "c3lzdGVtLXRlc3Qtd2ViaG9vay1lbmNyeXB0aW9uLWs=");
        notifications = start("notification-service", notificationConfig);
        compensation = start("compensation-service", traced(ServiceProcess.infrastructureConfig("trace_compensation",
                OutageScenario.TOPICS)));
    }

    /** Tracing on (failsafe turns it off for every other packaged service), exported to the receiver at once. */
    private static Map<String, String> traced(Map<String, String> config) {
        config.put("quarkus.otel.sdk.disabled", "false");
        config.put("quarkus.otel.exporter.otlp.traces.endpoint", receiver.endpoint());
        config.put("quarkus.otel.exporter.otlp.traces.protocol", "http/protobuf");
        config.put("quarkus.otel.bsp.schedule.delay", "PT0.1S");
        return config;
    }

    private static ServiceProcess start(String name, Map<String, String> config) {
        Path jar = Path.of("..", name, "target", "quarkus-app", "quarkus-run.jar");
        ServiceProcess service = ServiceProcess.of(name, jar, config).start();
        SERVICES.add(service);
        return service;
    }

    @AfterAll
    static void stopTheSystem() {
        SERVICES.forEach(ServiceProcess::close);
        if (receiver != null) {
            receiver.close();
        }
    }

    @Test
    void theResolvingUpdateIsOneTraceFromThePostToTheMailsAndTheCredit() {
        MailServer mail = TestInfrastructure.mail();
        String customer = "trace-" + UUID.randomUUID();
        String subscriber = "oncall@" + customer + ".example";
        as(notifications, "subscriber-admin").contentType("application/json")
                .body(Map.of("email", subscriber, "customerId", customer, "services", List.of("azure-virtual-machines"),
                        "regions", List.of("eu-west")))
                .post("/api/subscribers").then().statusCode(201);
        as(compensation, "billing-admin").contentType("application/json")
                .body(Map.of("customerId", customer, "service", "azure-virtual-machines", "regions", List.of("eu-west"),
                        "monthlyFee", Map.of("amount", "1000.00", "currency", "USD"), "policyId", "azure-99.9",
                        "effectiveFrom", "2024-07"))
                .post("/api/contracts").then().statusCode(201);
        String incident = as(incidents, "incident-writer").contentType("application/json")
                .body(Map.of("title", "Virtual machines fail to boot", "severity", "SEV1",
                        "message", "VMs crash on boot after a faulty sensor update.", "startedAt", "2024-07-10T00:00:00Z",
                        "components", List.of(Map.of("service", "azure-virtual-machines", "regions", List.of("global"),
                                "status", "major_outage"))))
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        // The opening's own mail first, so that the update's notice is sent by a delivery of its own.
        mail.awaitMessages(1, PATIENCE, message -> Mails.to(message, subscriber) && incident.equals(Mails.header(message, "X-Incident-Id")));

        // The caller's trace: the update's server span is a child of this span, and everything after is in this trace.
        String traceId = randomHex(16);
        String callerSpanId = randomHex(8);
        long posting = System.nanoTime();
        as(incidents, "incident-writer").contentType("application/json")
                .header("traceparent", "00-" + traceId + "-" + callerSpanId + "-01")
                .body(Map.of("status", "resolved", "message", "All VMs have recovered.", "effectiveAt", "2024-07-10T12:00:00Z",
                        "components", List.of(Map.of("service", "azure-virtual-machines", "regions", List.of("global"),
                                "status", "operational"))))
                .post("/api/incidents/" + incident + "/updates").then().statusCode(201);
        // Accepted by SMTP: the opening's mail, the update's and the credit's.
        mail.awaitMessages(3, PATIENCE, message -> Mails.to(message, subscriber));

        // The spans arrive within the exporters' schedule delay of their end; the last to end is the credit mail's send.
        List<ReceivedSpan> trace = Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .until(() -> receiver.trace(traceId), spans -> spans.stream()
                        .filter(span -> span.name().equals("smtp send")).count() >= 2
                        && spans.stream().anyMatch(span -> span.name().equals("credit-events process")));
        String shown = String.join("\n  ", trace.stream().map(ReceivedSpan::toString).toList());

        ReceivedSpan post = only(trace, "incident-service", SpanKind.SPAN_KIND_SERVER, "POST", shown);
        assertThat(post.parentSpanId()).as("the POST's parent is the caller's span\n  " + shown).isEqualTo(callerSpanId);
        ReceivedSpan append = childOf(trace, post, "incident-service", SpanKind.SPAN_KIND_INTERNAL, "event-store append", shown);
        ReceivedSpan publish = childOf(trace, append, "incident-service", SpanKind.SPAN_KIND_PRODUCER,
                "incident-events publish", shown);

        ReceivedSpan noticed = childOf(trace, publish, "notification-service", SpanKind.SPAN_KIND_CONSUMER,
                "incident-events process", shown);
        ReceivedSpan fanOut = childOf(trace, noticed, "notification-service", SpanKind.SPAN_KIND_INTERNAL, "fan-out", shown);
        childOf(trace, fanOut, "notification-service", SpanKind.SPAN_KIND_CLIENT, "smtp send", shown);

        ReceivedSpan accounted = childOf(trace, publish, "compensation-service", SpanKind.SPAN_KIND_CONSUMER,
                "incident-events process", shown);
        ReceivedSpan accounting = childOf(trace, accounted, "compensation-service", SpanKind.SPAN_KIND_INTERNAL,
                "outage accounting", shown);
        ReceivedSpan chunk = childOf(trace, accounting, "compensation-service", SpanKind.SPAN_KIND_INTERNAL,
                "credit-run chunk", shown);
        ReceivedSpan creditPublish = childOf(trace, chunk, "compensation-service", SpanKind.SPAN_KIND_PRODUCER,
                "credit-events publish", shown);
        ReceivedSpan credited = childOf(trace, creditPublish, "notification-service", SpanKind.SPAN_KIND_CONSUMER,
                "credit-events process", shown);
        ReceivedSpan creditFanOut = childOf(trace, credited, "notification-service", SpanKind.SPAN_KIND_INTERNAL,
                "fan-out", shown);
        childOf(trace, creditFanOut, "notification-service", SpanKind.SPAN_KIND_CLIENT, "smtp send", shown);

        assertThat(trace).extracting(ReceivedSpan::service).as(shown)
                .contains("incident-service", "notification-service", "compensation-service");
        assertThat(noticed.attributes()).containsEntry("messaging.consumer.group.name", "notification-service")
                .containsEntry("cloudevents.event_type", "update-posted");
        assertThat(accounted.attributes()).containsEntry("messaging.consumer.group.name", "compensation-service")
                .containsEntry("cloudevents.event_id", publish.attributes().get("cloudevents.event_id"));
        assertThat(credited.attributes()).containsEntry("cloudevents.event_type", "credit-issued");
        // Nothing of the opening is in the update's trace: it was its own request.
        assertThat(trace).filteredOn(span -> "incident-opened".equals(span.attributes().get("cloudevents.event_type")))
                .as(shown).isEmpty();
        System.out.printf("One trace, %d spans, from the POST to the credit mail's span in %d ms:%n  %s%n", trace.size(),
                Duration.ofNanos(System.nanoTime() - posting).toMillis(), shown);
    }

    private static ReceivedSpan only(List<ReceivedSpan> trace, String service, SpanKind kind, String namePrefix,
            String shown) {
        List<ReceivedSpan> found = trace.stream().filter(span -> span.service().equals(service) && span.kind() == kind
                && span.name().startsWith(namePrefix)).toList();
        assertThat(found).as(service + " " + kind + " " + namePrefix + "… in\n  " + shown).hasSize(1);
        return found.get(0);
    }

    private static ReceivedSpan childOf(List<ReceivedSpan> trace, ReceivedSpan parent, String service, SpanKind kind,
            String name, String shown) {
        Optional<ReceivedSpan> child = trace.stream().filter(span -> span.parentSpanId().equals(parent.spanId())
                && span.service().equals(service) && span.kind() == kind && span.name().equals(name)).findFirst();
        assertThat(child).as(service + " " + kind + " '" + name + "' child of " + parent + " in\n  " + shown).isPresent();
        return child.get();
    }

    private static String randomHex(int bytes) {
        byte[] id = new byte[bytes];
        ThreadLocalRandom.current().nextBytes(id);
        id[0] |= 1; // never all zeros, which W3C Trace Context forbids
        return HexFormat.of().formatHex(id);
    }

}

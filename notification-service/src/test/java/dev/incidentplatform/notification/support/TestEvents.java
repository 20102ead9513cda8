package dev.incidentplatform.notification.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.testsupport.EventContracts;
import dev.incidentplatform.testsupport.TestInfrastructure;

/**
 * Events as incident-service and compensation-service publish them (CloudEvents binary mode), produced straight to the
 * real broker. Every payload built here is checked against contracts/ first, so the tests feed the service only what
 * its producers may send (plus, deliberately, what they may not).
 */
public final class TestEvents {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static KafkaProducer<String, byte[]> producer;

    private TestEvents() {
    }

    public record Comp(String service, List<String> regions, String status) {
    }

    public static Comp component(String service, String status, String... regions) {
        return new Comp(service, List.of(regions), status);
    }

    public static Map<String, Object> incidentOpened(UUID incidentId, String title, String severity, List<Comp> components) {
        Map<String, Object> event = envelope("incident-opened", incidentId, 1);
        event.put("title", title);
        event.put("severity", severity);
        event.put("impact", "critical");
        event.put("status", "investigating");
        event.put("components", components(components));
        event.put("startedAt", now().minusSeconds(600).toString());
        event.put("message", "We are investigating reports of failures.");
        event.put("author", "oncall@ops.example");
        return event;
    }

    public static Map<String, Object> updatePosted(UUID incidentId, int streamVersion, String status, String message,
            List<Comp> components) {
        Map<String, Object> event = envelope("update-posted", incidentId, streamVersion);
        event.put("updateId", UUID.randomUUID().toString());
        event.put("status", status);
        event.put("message", message);
        event.put("components", components(components));
        event.put("effectiveAt", now().toString());
        event.put("author", "oncall@ops.example");
        return event;
    }

    public static Map<String, Object> reviewPublished(UUID incidentId, int streamVersion, String rootCause) {
        Map<String, Object> event = envelope("review-published", incidentId, streamVersion);
        event.put("reviewId", UUID.randomUUID().toString());
        event.put("reviewVersion", 1);
        event.put("rootCause", rootCause);
        event.put("impactSummary", "Storage in eu-west was unavailable for 40 minutes.");
        event.put("preventativeMeasures", List.of("Staged rollouts", "Canary checks"));
        event.put("author", "reliability@ops.example");
        return event;
    }

    public static Map<String, Object> creditIssued(String customerId, UUID incidentId) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("eventType", "credit-issued");
        event.put("schemaVersion", 1);
        event.put("occurredAt", now().toString());
        event.put("correlationId", UUID.randomUUID().toString());
        event.put("causationId", null);
        event.put("actor", "compensation-service");
        event.put("creditId", UUID.randomUUID().toString());
        event.put("customerId", customerId);
        event.put("contractId", UUID.randomUUID().toString());
        event.put("contractVersion", 1);
        event.put("service", "azure-virtual-machines");
        event.put("billingMonth", "2024-07");
        event.put("incidentIds", List.of(incidentId.toString()));
        event.put("downtimeMinutes", 331);
        event.put("monthlyUptimePercent", 99.2585);
        event.put("creditPercent", 10);
        event.put("amount", Map.of("amount", "1250.00", "currency", "USD"));
        event.put("policyId", "azure-vm-99.99");
        event.put("policyVersion", 1);
        event.put("kind", "original");
        event.put("issuedAt", now().toString());
        return event;
    }

    private static Map<String, Object> envelope(String type, UUID incidentId, int streamVersion) {
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("eventType", type);
        event.put("schemaVersion", 1);
        event.put("streamId", incidentId.toString());
        event.put("streamVersion", streamVersion);
        event.put("incidentId", incidentId.toString());
        event.put("occurredAt", now().toString());
        event.put("correlationId", UUID.randomUUID().toString());
        event.put("causationId", null);
        event.put("actor", "oncall@ops.example");
        return event;
    }

    private static List<Map<String, Object>> components(List<Comp> components) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Comp c : components) {
            list.add(Map.of("service", c.service(), "regions", c.regions(), "status", c.status()));
        }
        return list;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    public static String json(Map<String, Object> event) {
        try {
            return JSON.writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Produces a contract-valid event with its CloudEvents headers, keyed as the contract says. */
    public static void publish(Map<String, Object> event) {
        String type = (String) event.get("eventType");
        String payload = json(event);
        assertThat(EventContracts.fromRepository().validate(type, 1, payload)).as("%s is valid against contracts/", type).isEmpty();
        boolean credit = "credit-issued".equals(type);
        String key = (String) (credit ? event.get("customerId") : event.get("incidentId"));
        send(credit ? "credit-events" : "incident-events", key, payload.getBytes(StandardCharsets.UTF_8),
                cloudEventHeaders(event, key));
    }

    /** The CloudEvents binary-mode headers the producers put on a record of this event. */
    public static Map<String, String> cloudEventHeaders(Map<String, Object> event, String key) {
        String type = (String) event.get("eventType");
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", (String) event.get("eventId"));
        headers.put("ce_type", type);
        headers.put("ce_source", "credit-issued".equals(type) ? "/compensation-service" : "/incident-service");
        headers.put("ce_time", (String) event.get("occurredAt"));
        headers.put("ce_subject", key);
        headers.put("ce_dataschema", "https://contracts.incident-platform.dev/" + type + "/v1/schema.json");
        headers.put("content-type", "application/json");
        return headers;
    }

    /** Produces any bytes with any headers, and waits until the broker has them. */
    public static void send(String topic, String key, byte[] value, Map<String, String> headers) {
        ProducerRecord<String, byte[]> record = new ProducerRecord<>(topic, key, value);
        headers.forEach((name, v) -> record.headers().add(name, v.getBytes(StandardCharsets.UTF_8)));
        try {
            producer().send(record).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static synchronized KafkaProducer<String, byte[]> producer() {
        if (producer == null) {
            Properties properties = TestInfrastructure.kafka().clientProperties();
            properties.put(ProducerConfig.ACKS_CONFIG, "all");
            properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
            producer = new KafkaProducer<>(properties, new StringSerializer(), new ByteArraySerializer());
        }
        return producer;
    }
}

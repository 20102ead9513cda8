package dev.incidentplatform.compensation;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.incidentplatform.testsupport.EventContracts;
import dev.incidentplatform.testsupport.TestInfrastructure;

/**
 * Incident events as incident-service publishes them (valid against contracts/, checked before sending), produced
 * straight to the real broker with CloudEvents headers and the incident id as key.
 */
public final class Incidents {

    public static final String TOPIC = "incident-events";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UUID id = UUID.randomUUID();
    private int version;

    public UUID id() {
        return id;
    }

    public record Component(String service, List<String> regions, String status) {
    }

    public static Component component(String service, String status, String... regions) {
        return new Component(service, List.of(regions), status);
    }

    public Event opened(String startedAt, Component... components) {
        ObjectNode event = envelope("incident-opened", startedAt);
        event.put("title", "Outage " + id);
        event.put("severity", "SEV1");
        event.put("impact", "critical");
        event.put("status", "investigating");
        components(event, components);
        event.put("startedAt", startedAt);
        event.put("message", "We are investigating.");
        event.put("author", "oncall@ops.example");
        return new Event(this, event);
    }

    public Event update(String status, String effectiveAt, Component... components) {
        ObjectNode event = envelope("update-posted", effectiveAt);
        event.put("updateId", UUID.randomUUID().toString());
        event.put("status", status);
        event.put("message", "Status: " + status);
        components(event, components);
        event.put("effectiveAt", effectiveAt);
        event.put("author", "oncall@ops.example");
        return new Event(this, event);
    }

    public Event resolved(String effectiveAt, Component... components) {
        return update("resolved", effectiveAt, components);
    }

    private ObjectNode envelope(String type, String at) {
        ObjectNode event = JSON.createObjectNode();
        event.put("eventId", UUID.randomUUID().toString());
        event.put("eventType", type);
        event.put("schemaVersion", 1);
        event.put("streamId", id.toString());
        event.put("streamVersion", ++version);
        event.put("incidentId", id.toString());
        event.put("occurredAt", Instant.parse(at).plusSeconds(60).toString());
        event.put("correlationId", UUID.randomUUID().toString());
        event.putNull("causationId");
        event.put("actor", "oncall@ops.example");
        return event;
    }

    private static void components(ObjectNode event, Component... components) {
        ArrayNode list = event.putArray("components");
        for (Component component : components) {
            ObjectNode entry = list.addObject();
            entry.put("service", component.service());
            component.regions().forEach(entry.putArray("regions")::add);
            entry.put("status", component.status());
        }
    }

    public record Event(Incidents incident, ObjectNode payload) {
        public String type() {
            return payload.get("eventType").asText();
        }

        public String json() {
            return payload.toString();
        }
    }

    /** Sends the events in order (after checking each against its contract) and waits for the broker's acks. */
    public static void send(Event... events) {
        try (KafkaProducer<String, String> producer = producer()) {
            for (Event event : events) {
                assertThat(EventContracts.fromRepository().validate(event.type(), 1, event.json())).as(event.json()).isEmpty();
                ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, event.incident().id().toString(), event.json());
                cloudEventHeaders(event.type(), event.payload().get("eventId").asText(), event.incident().id().toString())
                        .forEach((name, value) -> header(record, name, value));
                producer.send(record).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The CloudEvents binary-mode headers incident-service puts on a record. */
    public static Map<String, String> cloudEventHeaders(String type, String eventId, String incidentId) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", eventId);
        headers.put("ce_type", type);
        headers.put("ce_source", "/incident-service");
        headers.put("ce_time", Instant.now().toString());
        headers.put("ce_subject", incidentId);
        headers.put("content-type", "application/json");
        return headers;
    }

    /** A raw record, e.g. one this service cannot read. */
    public static void sendRaw(String key, String value, Map<String, String> headers) {
        try (KafkaProducer<String, String> producer = producer()) {
            ProducerRecord<String, String> record = new ProducerRecord<>(TOPIC, key, value);
            headers.forEach((name, text) -> header(record, name, text));
            producer.send(record).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaProducer<String, String> producer() {
        Properties properties = TestInfrastructure.kafka().clientProperties();
        properties.put(ProducerConfig.ACKS_CONFIG, "all");
        return new KafkaProducer<>(properties, new StringSerializer(), new StringSerializer());
    }

    private static void header(ProducerRecord<String, String> record, String name, String value) {
        record.headers().add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    /** Waits until consumer group {@code group} has committed every record of incident-events (so it processed them). */
    public static void awaitConsumed(String group) {
        try (Admin admin = Admin.create(TestInfrastructure.kafka().clientProperties())) {
            Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                        .partitionsToOffsetAndMetadata().get();
                var partitions = admin.describeTopics(List.of(TOPIC)).allTopicNames().get().get(TOPIC).partitions().stream()
                        .map(p -> new TopicPartition(TOPIC, p.partition())).toList();
                var ends = admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
                        .all().get();
                for (TopicPartition partition : partitions) {
                    long end = ends.get(partition).offset();
                    OffsetAndMetadata offset = committed.get(partition);
                    assertThat(end == 0 || (offset != null && offset.offset() >= end)).as(partition + " consumed").isTrue();
                }
            });
        }
    }
}

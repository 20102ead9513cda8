package dev.incidentplatform.incident.relay;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.events.EventCodec;

/**
 * A stored event as a CloudEvents 1.0 Kafka record in binary mode (contracts/README.md): the payload as value, the
 * incident id as key, the attributes as {@code ce_*} headers. Two headers of our own let the relay find, after a
 * crash, the last event a topic already holds: {@value #STORE_HEADER} and {@value #POSITION_HEADER}.
 */
final class CloudEventRecords {

    static final String SOURCE = "/incident-service";
    static final String STORE_HEADER = "incident-store";
    static final String POSITION_HEADER = "incident-position";

    private static final ObjectMapper JSON = new ObjectMapper();

    private CloudEventRecords() {
    }

    static ProducerRecord<byte[], byte[]> of(String topic, UUID storeId, StoredEvent event) {
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", event.eventId().toString());
        header(headers, "ce_type", event.type());
        header(headers, "ce_source", SOURCE);
        header(headers, "ce_time", occurredAt(event));
        header(headers, "ce_subject", event.streamId().toString());
        header(headers, "ce_dataschema", EventCodec.schemaId(event.type(), event.schemaVersion()));
        header(headers, "content-type", "application/json");
        String traceparent = metadata(event).path("traceparent").asText(null);
        if (traceparent != null) {
            header(headers, "traceparent", traceparent);
        }
        header(headers, STORE_HEADER, storeId.toString());
        header(headers, POSITION_HEADER, event.cursor().toString());
        return new ProducerRecord<>(topic, null, bytes(event.streamId().toString()), bytes(event.data()), headers);
    }

    private static String occurredAt(StoredEvent event) {
        try {
            return Instant.parse(JSON.readTree(event.data()).path("occurredAt").asText()).toString();
        } catch (Exception e) {
            throw new IllegalStateException("Event " + event.eventId() + " has no occurredAt", e);
        }
    }

    private static JsonNode metadata(StoredEvent event) {
        try {
            return JSON.readTree(event.metadata());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, bytes(value));
    }

    private static byte[] bytes(String value) {
        return value.getBytes(StandardCharsets.UTF_8);
    }
}

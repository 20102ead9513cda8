package dev.incidentplatform.platform.consume;

import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;

import dev.incidentplatform.platform.http.RequestHeaders;
import io.cloudevents.CloudEvent;
import io.cloudevents.kafka.KafkaMessageFactory;
import io.cloudevents.rw.CloudEventRWException;

/** Kafka records as CloudEvents in binary mode ({@code ce_*} headers, the event's data as the value), by the SDK. */
public final class CloudEventRecords {

    /** The Distributed Tracing extension: the W3C trace context of whoever caused the event. */
    public static final String TRACEPARENT = "traceparent";

    private CloudEventRecords() {
    }

    /**
     * @throws UnreadableEventException when the record is not a CloudEvent (a required attribute is missing or
     *         malformed, or it is in an encoding other than binary mode)
     */
    public static CloudEvent read(ConsumerRecord<?, byte[]> record) {
        try {
            return KafkaMessageFactory.createReader(record).toEvent();
        } catch (CloudEventRWException | IllegalArgumentException | IllegalStateException e) {
            throw new UnreadableEventException("the record is not a CloudEvent in Kafka binary mode: " + e.getMessage(), e);
        }
    }

    /** The event's data, which every event this platform consumes has. */
    public static byte[] data(CloudEvent event) {
        if (event.getData() == null) {
            throw new UnreadableEventException("the event has no data");
        }
        return event.getData().toBytes();
    }

    /** The event's {@code traceparent}, where it has one that is valid W3C Trace Context (an invalid one is ignored). */
    public static Optional<String> traceparent(CloudEvent event) {
        Object value = event.getExtension(TRACEPARENT);
        return value == null ? Optional.empty() : Optional.ofNullable(RequestHeaders.traceparent(value.toString()));
    }
}

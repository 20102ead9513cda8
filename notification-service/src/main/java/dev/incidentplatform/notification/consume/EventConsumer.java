package dev.incidentplatform.notification.consume;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import dev.incidentplatform.notification.delivery.DeliverySenders;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.notification.fanout.FanOut;
import dev.incidentplatform.notification.metrics.NotificationMetrics;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumer group {@code notification-service} on incident-events and credit-events. A record is acknowledged (and its
 * offset later committed) only after its fan-out transaction committed. An unreadable record makes the method throw:
 * the channel's dead-letter strategy moves it, with the reason in its headers, to
 * {@code <topic>.notification-service.dlq} and the partition goes on. Per channel, records are handled one at a time
 * in offset order, so one incident's notices are created in the order they happened.
 */
@ApplicationScoped
public class EventConsumer {

    private static final Logger LOG = Logger.getLogger(EventConsumer.class);

    private final EventReader reader;
    private final FanOut fanOut;
    private final DeliverySenders senders;
    private final NotificationMetrics metrics;

    public EventConsumer(EventReader reader, FanOut fanOut, DeliverySenders senders, NotificationMetrics metrics) {
        this.reader = reader;
        this.fanOut = fanOut;
        this.senders = senders;
        this.metrics = metrics;
    }

    @Incoming("incident-events")
    @Blocking
    public void incidentEvent(ConsumerRecord<String, byte[]> record) {
        consume(record);
    }

    @Incoming("credit-events")
    @Blocking
    public void creditEvent(ConsumerRecord<String, byte[]> record) {
        consume(record);
    }

    private void consume(ConsumerRecord<String, byte[]> record) {
        String type = header(record, "ce_type");
        Optional<NotificationEvent> read;
        try {
            read = reader.read(type, record.value());
        } catch (UnreadableEventException e) {
            metrics.unreadable(record.topic());
            LOG.warnf("Unreadable record %s-%d@%d (%s): %s; it goes to the dead-letter topic", record.topic(),
                    record.partition(), record.offset(), type, e.getMessage());
            throw e;
        }
        if (read.isEmpty()) {
            metrics.skipped(record.topic());
            LOG.debugf("Skipped %s record %s-%d@%d: not a type or version this service handles", type, record.topic(),
                    record.partition(), record.offset());
            return;
        }
        NotificationEvent event = read.get();
        FanOut.Outcome outcome = fanOut.apply(event, new FanOut.Source(record.topic(), record.partition(), record.offset()));
        if (outcome.duplicate()) {
            metrics.duplicate(event.eventType());
            return;
        }
        metrics.applied(event.eventType(), Duration.between(event.occurredAt(), Instant.now()));
        if (outcome.recipients() > 0) {
            senders.wake();
        }
    }

    private static String header(ConsumerRecord<?, ?> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

package dev.incidentplatform.notification.consume;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.incidentplatform.notification.delivery.DeliverySenders;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.notification.fanout.FanOut;
import dev.incidentplatform.notification.metrics.NotificationMetrics;
import dev.incidentplatform.platform.consume.EventConsumption;
import dev.incidentplatform.platform.consume.EventHandler;
import io.cloudevents.CloudEvent;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumer group {@code notification-service} on incident-events and credit-events, through the platform's
 * {@link EventConsumption}: a record is acknowledged (and its offset later committed) only after its fan-out
 * transaction committed, or after it was parked (in {@code parked_event} and on {@code <topic>.notification-service.dlq})
 * because it is unreadable or its fan-out keeps failing for a reason of its own. Per channel, records are handled one
 * at a time in offset order, so one incident's notices are created in the order they happened.
 */
@ApplicationScoped
public class EventConsumer implements EventHandler {

    private final EventConsumption consumption;
    private final EventReader reader;
    private final FanOut fanOut;
    private final DeliverySenders senders;
    private final NotificationMetrics metrics;

    public EventConsumer(EventConsumption consumption, EventReader reader, FanOut fanOut, DeliverySenders senders,
            NotificationMetrics metrics) {
        this.consumption = consumption;
        this.reader = reader;
        this.fanOut = fanOut;
        this.senders = senders;
        this.metrics = metrics;
    }

    @Incoming("incident-events")
    @Blocking
    public CompletionStage<Void> incidentEvent(Message<byte[]> record) {
        return consumption.consume(record, this);
    }

    @Incoming("credit-events")
    @Blocking
    public CompletionStage<Void> creditEvent(Message<byte[]> record) {
        return consumption.consume(record, this);
    }

    /** Reads and fans out one event; also what a replay of a parked event runs. */
    @Override
    public void handle(CloudEvent cloudEvent, Coordinates at) {
        if (!NotificationEvent.TYPES.contains(cloudEvent.getType())) {
            // The contracts' rule: a consumer skips event types it does not know (a producer may add one at any time).
            // A known type in a version this service cannot read is another matter: the reader refuses it, and it is
            // parked until a version of this service that reads it replays it.
            metrics.skipped(cloudEvent.getType());
            return;
        }
        NotificationEvent event = reader.read(cloudEvent);
        FanOut.Outcome outcome = fanOut.apply(event, at);
        if (outcome.duplicate()) {
            metrics.duplicate(event.eventType());
            return;
        }
        metrics.applied(event.eventType(), Duration.between(event.occurredAt(), Instant.now()));
        if (outcome.recipients() > 0) {
            senders.wake();
        }
    }
}

package dev.incidentplatform.compensation.outage;

import java.util.concurrent.CompletionStage;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

import dev.incidentplatform.platform.consume.EventConsumption;
import dev.incidentplatform.platform.consume.EventHandler;
import dev.incidentplatform.platform.tracing.Tracing;
import io.cloudevents.CloudEvent;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumer group {@code compensation-service} on {@code incident-events} (read_committed, offsets committed after the
 * database transaction), through the platform's {@link EventConsumption}: a transient failure (the database is down,
 * a deadlock) is retried until it passes, holding the partition; an unreadable record, or one whose application keeps
 * failing for a reason of its own, is parked (in {@code parked_event} and on
 * {@code incident-events.compensation-service.dlq}) and the partition goes on. An event that was read is never dropped.
 * <p>
 * Applying an event is the span {@value #SPAN}, inside the platform's consumer span; the credit runs it plans keep its
 * trace context, which the credit-run worker's chunks continue.
 */
@ApplicationScoped
public class IncidentEventConsumer implements EventHandler {

    private final EventConsumption consumption;
    private final IncidentEventReader reader;
    private final IncidentEventHandler handler;

    public static final String SPAN = "outage accounting";

    private final IncidentEventMetrics metrics;
    private final Tracing tracing;

    public IncidentEventConsumer(EventConsumption consumption, IncidentEventReader reader, IncidentEventHandler handler,
            IncidentEventMetrics metrics, Tracing tracing) {
        this.consumption = consumption;
        this.tracing = tracing;
        this.reader = reader;
        this.handler = handler;
        this.metrics = metrics;
    }

    @Incoming("incident-events")
    @Blocking
    public CompletionStage<Void> consume(Message<byte[]> record) {
        return consumption.consume(record, this);
    }

    /** Reads and applies one event; also what a replay of a parked event runs. */
    @Override
    public void handle(CloudEvent event, Coordinates at) throws Exception {
        if (!IncidentEventReader.reads(event.getType())) {
            // The contracts' rule: a consumer skips event types it does not know (a producer may add one at any time).
            // A known type in a version this service cannot read is refused by the reader, and parked until replayed.
            metrics.count(IncidentEventMetrics.Outcome.UNKNOWN_TYPE);
            return;
        }
        try (Tracing.ActiveSpan span = tracing.child(SPAN, SpanKind.INTERNAL)) {
            try {
                IncidentEventHandler.Outcome outcome = handler.apply(reader.read(event), at.topic(), at.partition(),
                        at.offset());
                span.span().setAttribute("compensation.outcome", outcome.name());
            } catch (Exception e) {
                span.failed(e);
                throw e;
            }
        }
    }
}

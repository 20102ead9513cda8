package dev.incidentplatform.platform.tracing;

import java.util.Objects;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.MDC;

import io.cloudevents.CloudEvent;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;

/**
 * The spans of the work this platform runs for the services (the relay's publish, the consumption of an event) and
 * of work a service does later on behalf of a stored trace context (a mail sent from a delivery row, a credit-run
 * chunk): one implementation, so that every service names, parents and logs them alike (docs/decisions/0016).
 * <p>
 * Work done later continues the trace it was caused by from a stored W3C {@code traceparent}
 * ({@link Traceparents}): the stored context becomes the new span's parent, so one outage's command, its events, their
 * handling, the mails and the credits are one trace. While a span of this class is current, the log MDC holds
 * {@code traceId} and {@code spanId} (the keys Quarkus uses for its own spans) and, for event handling,
 * {@code eventId}: the default log format prints them. With {@code quarkus.otel.sdk.disabled} spans are still made
 * (and ids still travel and reach the logs) but none is exported; {@link #disabled()} makes no-op spans, which pass
 * their parent's context on unchanged.
 */
@ApplicationScoped
public class Tracing {

    /** The instrumentation scope of the platform's spans. */
    public static final String SCOPE = "dev.incidentplatform.platform";
    public static final String MDC_EVENT_ID = "eventId";
    public static final String MDC_TRACE_ID = "traceId";
    public static final String MDC_SPAN_ID = "spanId";

    private final Tracer tracer;

    @Inject
    public Tracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer(SCOPE);
    }

    /** Tracing that records nothing: for platform classes used without CDI (tests). */
    public static Tracing disabled() {
        return new Tracing(OpenTelemetry.noop());
    }

    /**
     * A CONSUMER span {@code <topic> process} for handling {@code event}, child of the event's {@code traceparent}
     * (a new trace without one), current until closed, with the event's id in the MDC.
     */
    public ActiveSpan consuming(CloudEvent event, String topic, String consumerGroup, String traceparent) {
        var span = tracer.spanBuilder(topic + " process").setSpanKind(SpanKind.CONSUMER)
                .setParent(Traceparents.parent(traceparent))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "process")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.message.id", event.getId())
                .setAttribute("cloudevents.event_id", event.getId())
                .setAttribute("cloudevents.event_type", event.getType());
        if (consumerGroup != null) {
            span.setAttribute("messaging.consumer.group.name", consumerGroup);
        }
        return new ActiveSpan(span.startSpan(), event.getId());
    }

    /**
     * A PRODUCER span {@code <topic> publish} for relaying {@code event}, child of the {@code traceparent} stored with
     * it; not made current (the relay publishes a batch of events of many traces at once). The caller ends it.
     */
    public Span publishing(CloudEvent event, String topic, String traceparent) {
        return tracer.spanBuilder(topic + " publish").setSpanKind(SpanKind.PRODUCER)
                .setParent(Traceparents.parent(traceparent))
                .setAttribute("messaging.system", "kafka")
                .setAttribute("messaging.operation.type", "send")
                .setAttribute("messaging.destination.name", topic)
                .setAttribute("messaging.message.id", event.getId())
                .setAttribute("cloudevents.event_id", event.getId())
                .setAttribute("cloudevents.event_type", event.getType())
                .startSpan();
    }

    /** A span continuing the stored {@code traceparent} (a new trace when it is null), current until closed. */
    public ActiveSpan continuing(String name, SpanKind kind, String traceparent) {
        return new ActiveSpan(tracer.spanBuilder(name).setSpanKind(kind).setParent(Traceparents.parent(traceparent))
                .startSpan(), null);
    }

    /** A child of the current span (a new trace when there is none), current until closed. */
    public ActiveSpan child(String name, SpanKind kind) {
        return new ActiveSpan(tracer.spanBuilder(name).setSpanKind(kind).setParent(Context.current()).startSpan(), null);
    }

    /**
     * A child of the current span or, when none is current (the SDK is disabled, so Quarkus made no server span), of
     * the caller's {@code traceparent}: the caller's trace goes on either way.
     */
    public ActiveSpan child(String name, SpanKind kind, String callersTraceparent) {
        Context parent = Span.current().getSpanContext().isValid() ? Context.current()
                : Traceparents.parent(callersTraceparent);
        return new ActiveSpan(tracer.spanBuilder(name).setSpanKind(kind).setParent(parent).startSpan(), null);
    }

    /**
     * A started span made current on this thread, with its ids (and an event's id) in the log MDC; closing it ends the
     * span and restores the MDC as it was. Close it on the thread that opened it.
     */
    public static final class ActiveSpan implements AutoCloseable {

        private final Span span;
        private final Scope scope;
        private final Object previousEventId;
        private final Object previousTraceId;
        private final Object previousSpanId;
        private final boolean eventScoped;

        ActiveSpan(Span span, String eventId) {
            this.span = Objects.requireNonNull(span);
            this.previousEventId = MDC.get(MDC_EVENT_ID);
            this.previousTraceId = MDC.get(MDC_TRACE_ID);
            this.previousSpanId = MDC.get(MDC_SPAN_ID);
            this.eventScoped = eventId != null;
            this.scope = span.makeCurrent();
            if (eventScoped) {
                MDC.put(MDC_EVENT_ID, eventId);
            }
            // Quarkus's context storage puts these on its own threads too; set here so that they hold wherever the
            // span is current (plain threads of the relay and the senders, tests without Quarkus).
            if (span.getSpanContext().isValid()) {
                MDC.put(MDC_TRACE_ID, span.getSpanContext().getTraceId());
                MDC.put(MDC_SPAN_ID, span.getSpanContext().getSpanId());
            }
        }

        public Span span() {
            return span;
        }

        /** The traceparent naming this span as the parent, to store with work it causes; null with tracing off. */
        public String traceparent() {
            return Traceparents.of(span.getSpanContext()).orElse(null);
        }

        /** Marks the span failed by {@code failure}; it still ends on {@link #close()}. */
        public void failed(Throwable failure) {
            span.recordException(failure);
            span.setStatus(StatusCode.ERROR, String.valueOf(failure.getMessage()));
        }

        @Override
        public void close() {
            restore(MDC_EVENT_ID, previousEventId, eventScoped);
            restore(MDC_TRACE_ID, previousTraceId, true);
            restore(MDC_SPAN_ID, previousSpanId, true);
            scope.close();
            span.end();
        }

        private static void restore(String key, Object previous, boolean touched) {
            if (!touched) {
                return;
            }
            if (previous == null) {
                MDC.remove(key);
            } else {
                MDC.put(key, previous);
            }
        }
    }
}

package dev.incidentplatform.platform.tracing;

import java.util.List;
import java.util.Optional;

import dev.incidentplatform.platform.http.RequestHeaders;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;

/**
 * W3C {@code traceparent} values, the form in which a trace context is stored with work done later (an event in the
 * outbox, a notice's deliveries, a credit run) and carried in the CloudEvents distributed-tracing extension.
 */
public final class Traceparents {

    private static final String HEADER = "traceparent";
    private static final TextMapGetter<String> ONE_VALUE = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(String carrier) {
            return List.of(HEADER);
        }

        @Override
        public String get(String carrier, String key) {
            return HEADER.equals(key) ? carrier : null;
        }
    };

    private Traceparents() {
    }

    /** The traceparent of the span current on this thread; empty when there is none (tracing off, no request). */
    public static Optional<String> current() {
        return of(Span.current().getSpanContext());
    }

    /** The traceparent naming {@code span} as the parent; empty for an invalid (not recorded) span context. */
    public static Optional<String> of(SpanContext span) {
        if (!span.isValid()) {
            return Optional.empty();
        }
        return Optional.of("00-" + span.getTraceId() + "-" + span.getSpanId() + "-" + span.getTraceFlags().asHex());
    }

    /**
     * The context a span continuing {@code traceparent} starts in: the remote parent it names, or the root (a new
     * trace) when it is null or not W3C Trace Context.
     */
    public static Context parent(String traceparent) {
        if (traceparent == null || RequestHeaders.traceparent(traceparent) == null) {
            return Context.root();
        }
        return W3CTraceContextPropagator.getInstance().extract(Context.root(), traceparent, ONE_VALUE);
    }
}

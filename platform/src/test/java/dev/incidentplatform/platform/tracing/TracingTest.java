package dev.incidentplatform.platform.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import org.jboss.logging.Logger;
import org.jboss.logging.MDC;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.opentelemetry.sdk.trace.export.SpanExporter;

/** The platform's spans: parents from stored traceparents, kinds and names, and the ids every log line carries. */
class TracingTest {

    private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
    private static final String PARENT_SPAN_ID = "00f067aa0ba902b7";
    private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_SPAN_ID + "-01";
    private static final String CATEGORY = "dev.incidentplatform.platform.tracing.TracingTest.handler";

    private final List<SpanData> finished = new ArrayList<>();
    private final List<ExtLogRecord> logged = new ArrayList<>();
    private final ExtHandler capture = new ExtHandler() {
        @Override
        protected void doPublish(ExtLogRecord record) {
            record.copyAll(); // the MDC as it was when the line was logged
            logged.add(record);
        }
    };
    private SdkTracerProvider provider;
    private Tracing tracing;

    @BeforeEach
    void sdk() {
        SpanExporter collecting = new SpanExporter() {
            @Override
            public CompletableResultCode export(Collection<SpanData> spans) {
                finished.addAll(spans);
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode flush() {
                return CompletableResultCode.ofSuccess();
            }

            @Override
            public CompletableResultCode shutdown() {
                return CompletableResultCode.ofSuccess();
            }
        };
        provider = SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(collecting)).build();
        tracing = new Tracing(OpenTelemetrySdk.builder().setTracerProvider(provider).build());
        org.jboss.logmanager.Logger.getLogger(CATEGORY).addHandler(capture);
    }

    @AfterEach
    void close() {
        org.jboss.logmanager.Logger.getLogger(CATEGORY).removeHandler(capture);
        provider.close();
    }

    @Test
    void aLogLineOfEventHandlingCarriesTheEventIdAndTheTraceId() {
        CloudEvent event = event();
        String spanId;
        try (Tracing.ActiveSpan span = tracing.consuming(event, "incident-events", "notification-service",
                TRACEPARENT)) {
            spanId = span.span().getSpanContext().getSpanId();
            Logger.getLogger(CATEGORY).infof("fanned out %s", event.getType());
        }

        assertThat(logged).hasSize(1);
        ExtLogRecord line = logged.get(0);
        assertThat(line.getMdc(Tracing.MDC_EVENT_ID)).isEqualTo(event.getId());
        assertThat(line.getMdc(Tracing.MDC_TRACE_ID)).isEqualTo(TRACE_ID);
        assertThat(line.getMdc(Tracing.MDC_SPAN_ID)).isEqualTo(spanId);
        assertThat(MDC.get(Tracing.MDC_EVENT_ID)).as("after the handling").isNull();
        assertThat(MDC.get(Tracing.MDC_TRACE_ID)).as("after the handling").isNull();
        assertThat(Span.current().getSpanContext().isValid()).isFalse();
    }

    @Test
    void handlingAnEventIsAConsumerSpanChildOfTheEventsTraceparent() {
        CloudEvent event = event();
        try (Tracing.ActiveSpan span = tracing.consuming(event, "incident-events", "notification-service",
                TRACEPARENT)) {
            assertThat(span.traceparent()).startsWith("00-" + TRACE_ID + "-").doesNotContain(PARENT_SPAN_ID);
        }

        assertThat(finished).singleElement().satisfies(span -> {
            assertThat(span.getName()).isEqualTo("incident-events process");
            assertThat(span.getKind()).isEqualTo(SpanKind.CONSUMER);
            assertThat(span.getTraceId()).isEqualTo(TRACE_ID);
            assertThat(span.getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
            assertThat(span.getAttributes().asMap().toString()).contains(event.getId(), "notification-service");
        });
    }

    @Test
    void workDoneLaterContinuesTheStoredTraceAndAnEventWithoutOneStartsANewTrace() {
        try (Tracing.ActiveSpan send = tracing.continuing("smtp send", SpanKind.CLIENT, TRACEPARENT)) {
            try (Tracing.ActiveSpan inner = tracing.child("render", SpanKind.INTERNAL)) {
                assertThat(inner.span().getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
            }
        }
        Span publish = tracing.publishing(event(), "credit-events", null);
        publish.end();

        assertThat(finished).extracting(SpanData::getName).containsExactly("render", "smtp send", "credit-events publish");
        assertThat(finished.get(1).getParentSpanId()).isEqualTo(PARENT_SPAN_ID);
        assertThat(finished.get(0).getParentSpanId()).isEqualTo(finished.get(1).getSpanId());
        assertThat(finished.get(2).getKind()).isEqualTo(SpanKind.PRODUCER);
        assertThat(finished.get(2).getTraceId()).isNotEqualTo(TRACE_ID);
        assertThat(finished.get(2).getParentSpanContext().isValid()).isFalse();
    }

    @Test
    void aChildWithoutACurrentSpanContinuesTheCallersTraceparent() {
        try (Tracing.ActiveSpan append = tracing.child("event-store append", SpanKind.INTERNAL, TRACEPARENT)) {
            assertThat(append.span().getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
            try (Tracing.ActiveSpan inner = tracing.child("inner", SpanKind.INTERNAL, null)) {
                assertThat(inner.span().getSpanContext().getTraceId()).isEqualTo(TRACE_ID);
            }
        }
        assertThat(finished).extracting(SpanData::getParentSpanId)
                .containsExactly(finished.get(1).getSpanId(), PARENT_SPAN_ID);
    }

    @Test
    void withTracingOffTheCallersContextIsPassedOnUnchanged() {
        Tracing off = Tracing.disabled();
        try (Tracing.ActiveSpan span = off.consuming(event(), "incident-events", "g", TRACEPARENT)) {
            assertThat(span.traceparent()).isEqualTo(TRACEPARENT);
            assertThat(MDC.get(Tracing.MDC_TRACE_ID)).isEqualTo(TRACE_ID);
        }
        assertThat(off.publishing(event(), "incident-events", null).getSpanContext().isValid()).isFalse();
        assertThat(Traceparents.parent("not-a-traceparent")).isSameAs(io.opentelemetry.context.Context.root());
    }

    private static CloudEvent event() {
        return CloudEventBuilder.v1().withId(UUID.randomUUID().toString()).withType("update-posted")
                .withSource(URI.create("/incident-service")).build();
    }
}

package dev.incidentplatform.incident.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.incident.domain.IncidentEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * The service's own meters at /q/metrics, each with its HELP text and registered at start-up (at 0, with each tag
 * value it can take), so that a dashboard or an alert on a rate sees a series before the first event:
 * {@code incident_events_appended_total{type}}. The relay's and the projector's meters are the platform's
 * ({@code outbox_*{stream="incident-events"}} and {@code {stream="read-models"}}). Made at start-up, not at the first
 * command: an application-scoped bean is otherwise built only when first used.
 */
@Startup
@ApplicationScoped
public class IncidentMetrics {

    private final MeterRegistry registry;
    private final Map<String, Counter> appendedByType = new ConcurrentHashMap<>();

    public IncidentMetrics(MeterRegistry registry) {
        this.registry = registry;
        for (String type : new String[] { IncidentEvent.IncidentOpened.TYPE, IncidentEvent.UpdatePosted.TYPE,
                IncidentEvent.ReviewPublished.TYPE }) {
            appendedCounter(type);
        }
    }

    public void appended(String type) {
        appendedCounter(type).increment();
    }

    private Counter appendedCounter(String type) {
        return appendedByType.computeIfAbsent(type, t -> Counter.builder("incident.events.appended")
                .description("Events appended to the event store").tag("type", t).register(registry));
    }
}

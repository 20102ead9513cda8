package dev.incidentplatform.compensation.outage;

import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * {@code compensation.incident.events{outcome}}: what became of each incident event read. Every outcome's counter
 * exists from start-up at 0, so that a rate or an alert on it works before the first one. Retried and parked events
 * are counted by the platform's consumption (events.retried, events.parked).
 */
@Startup
@ApplicationScoped
public class IncidentEventMetrics {

    public enum Outcome {
        /** Stored; credited if it resolved the incident. */
        APPLIED,
        /** Its event id was in the inbox already (a redelivery). */
        DUPLICATE,
        /** Changed nothing about impact (a note, say). */
        NO_IMPACT,
        /** The incident already had an event at its stream version. */
        SUPERSEDED_VERSION,
        /** A type this service does not read, passed over as the contracts ask. */
        UNKNOWN_TYPE
    }

    private final Map<Outcome, Counter> counters = new EnumMap<>(Outcome.class);

    public IncidentEventMetrics(MeterRegistry meters) {
        for (Outcome outcome : Outcome.values()) {
            counters.put(outcome, Counter.builder("compensation.incident.events")
                    .description("Incident events read from incident-events, by what became of them")
                    .tag("outcome", outcome.name().toLowerCase(Locale.ROOT)).register(meters));
        }
    }

    public void count(Outcome outcome) {
        counters.get(outcome).increment();
    }
}

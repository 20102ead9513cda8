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
 * exists from start-up at 0, so that a rate or an alert on it (unreadable, retried) works before the first one.
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
        /** Not an event type this service reads; skipped. */
        UNKNOWN_TYPE,
        /** Not readable at all; sent to the dead-letter topic. */
        UNREADABLE,
        /** Applying it failed (the database, most likely); it is retried. */
        RETRIED
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

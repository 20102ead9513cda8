package dev.incidentplatform.incident.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What happened to an incident; each is one event of its stream. */
public sealed interface IncidentEvent {

    UUID incidentId();

    /** The event type as the contracts name it. */
    String type();

    record IncidentOpened(UUID incidentId, String title, Severity severity, Impact impact, IncidentStatus status,
            List<Component> components, Instant startedAt, String message, String author) implements IncidentEvent {

        public static final String TYPE = "incident-opened";

        public IncidentOpened {
            components = List.copyOf(components);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    /** {@code components} lists every component of the incident as of this update, not only the changed ones. */
    record UpdatePosted(UUID incidentId, UUID updateId, IncidentStatus status, String message, List<Component> components,
            Instant effectiveAt, String author) implements IncidentEvent {

        public static final String TYPE = "update-posted";

        public UpdatePosted {
            components = List.copyOf(components);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }

    record ReviewPublished(UUID incidentId, UUID reviewId, int reviewVersion, String rootCause, String impactSummary,
            List<String> preventativeMeasures, String author) implements IncidentEvent {

        public static final String TYPE = "review-published";

        public ReviewPublished {
            preventativeMeasures = List.copyOf(preventativeMeasures);
        }

        @Override
        public String type() {
            return TYPE;
        }
    }
}

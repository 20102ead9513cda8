package dev.incidentplatform.incident.events;

import java.io.IOException;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

import dev.incidentplatform.incident.domain.Impact;
import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.domain.IncidentEvent.IncidentOpened;
import dev.incidentplatform.incident.domain.IncidentEvent.ReviewPublished;
import dev.incidentplatform.incident.domain.IncidentEvent.UpdatePosted;
import dev.incidentplatform.incident.domain.IncidentStatus;
import dev.incidentplatform.incident.domain.Severity;

/**
 * Domain events to and from the JSON payloads of the contracts (v1). The payload is what the event store keeps and what
 * the relay publishes unchanged, so this is the only place that knows the wire format.
 */
public final class EventCodec {

    public static final int SCHEMA_VERSION = 1;
    public static final String SCHEMA_ID_PREFIX = "https://contracts.incident-platform.dev/";

    /** Own mapper: the wire format must not change with the REST layer's Jackson settings. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            // Consumers ignore what they do not know (contracts/README.md); so do we, for optional fields added later.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private EventCodec() {
    }

    public record Decoded(Envelope envelope, IncidentEvent event) {
    }

    public static String schemaId(String eventType, int schemaVersion) {
        return SCHEMA_ID_PREFIX + eventType + "/v" + schemaVersion + "/schema.json";
    }

    public static String encode(IncidentEvent event, Envelope e) {
        Object payload;
        if (event instanceof IncidentOpened o) {
            payload = new IncidentOpenedV1(e.eventId(), o.type(), SCHEMA_VERSION, e.streamId(), e.streamVersion(), o.incidentId(),
                    e.occurredAt(), e.correlationId(), e.causationId(), e.actor(), o.title(), o.severity().name(),
                    o.impact().wire(), o.status().wire(), ComponentV1.of(o.components()), o.startedAt(), o.message(), o.author());
        } else if (event instanceof UpdatePosted u) {
            payload = new UpdatePostedV1(e.eventId(), u.type(), SCHEMA_VERSION, e.streamId(), e.streamVersion(), u.incidentId(),
                    e.occurredAt(), e.correlationId(), e.causationId(), e.actor(), u.updateId(), u.status().wire(),
                    u.message(), ComponentV1.of(u.components()), u.effectiveAt(), u.author());
        } else if (event instanceof ReviewPublished r) {
            payload = new ReviewPublishedV1(e.eventId(), r.type(), SCHEMA_VERSION, e.streamId(), e.streamVersion(),
                    r.incidentId(), e.occurredAt(), e.correlationId(), e.causationId(), e.actor(), r.reviewId(),
                    r.reviewVersion(), r.rootCause(), r.impactSummary(), r.preventativeMeasures(), r.author());
        } else {
            throw new IllegalArgumentException("Unknown event " + event);
        }
        try {
            return JSON.writeValueAsString(payload);
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** The event of a stored or received payload; an unknown type or version is an error, never skipped silently. */
    public static Decoded decode(String eventType, int schemaVersion, String json) {
        if (schemaVersion != SCHEMA_VERSION) {
            throw new IllegalArgumentException("No upcaster for " + eventType + " v" + schemaVersion);
        }
        try {
            switch (eventType) {
                case IncidentOpened.TYPE -> {
                    IncidentOpenedV1 p = JSON.readValue(json, IncidentOpenedV1.class);
                    return new Decoded(envelope(p.eventId(), p.streamId(), p.streamVersion(), p.occurredAt(), p.correlationId(),
                            p.causationId(), p.actor()), new IncidentOpened(p.incidentId(), p.title(), Severity.valueOf(p.severity()),
                            wireImpact(p.impact()), status(p.status()), ComponentV1.toDomain(p.components()), p.startedAt(),
                            p.message(), p.author()));
                }
                case UpdatePosted.TYPE -> {
                    UpdatePostedV1 p = JSON.readValue(json, UpdatePostedV1.class);
                    return new Decoded(envelope(p.eventId(), p.streamId(), p.streamVersion(), p.occurredAt(), p.correlationId(),
                            p.causationId(), p.actor()), new UpdatePosted(p.incidentId(), p.updateId(), status(p.status()),
                            p.message(), ComponentV1.toDomain(p.components()), p.effectiveAt(), p.author()));
                }
                case ReviewPublished.TYPE -> {
                    ReviewPublishedV1 p = JSON.readValue(json, ReviewPublishedV1.class);
                    return new Decoded(envelope(p.eventId(), p.streamId(), p.streamVersion(), p.occurredAt(), p.correlationId(),
                            p.causationId(), p.actor()), new ReviewPublished(p.incidentId(), p.reviewId(), p.reviewVersion(),
                            p.rootCause(), p.impactSummary(), p.preventativeMeasures(), p.author()));
                }
                default -> throw new IllegalArgumentException("Unknown event type " + eventType);
            }
        } catch (IOException ex) {
            throw new UncheckedIOException("Unreadable " + eventType + " payload", ex);
        }
    }

    private static Envelope envelope(java.util.UUID eventId, java.util.UUID streamId, int version, java.time.Instant occurredAt,
            String correlationId, String causationId, String actor) {
        return new Envelope(eventId, streamId, version, occurredAt, correlationId, causationId, actor);
    }

    private static IncidentStatus status(String wire) {
        return IncidentStatus.parse(wire).orElseThrow(() -> new IllegalArgumentException("Unknown status " + wire));
    }

    private static Impact wireImpact(String wire) {
        for (Impact impact : Impact.values()) {
            if (impact.wire().equals(wire)) {
                return impact;
            }
        }
        throw new IllegalArgumentException("Unknown impact " + wire);
    }
}

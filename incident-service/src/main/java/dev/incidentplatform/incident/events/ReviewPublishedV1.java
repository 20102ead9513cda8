package dev.incidentplatform.incident.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code contracts/review-published/v1/schema.json}. */
@JsonPropertyOrder({ "eventId", "eventType", "schemaVersion", "streamId", "streamVersion", "incidentId", "occurredAt",
        "correlationId", "causationId", "actor" })
public record ReviewPublishedV1(UUID eventId, String eventType, int schemaVersion, UUID streamId, int streamVersion,
        UUID incidentId, Instant occurredAt, String correlationId, String causationId, String actor,
        UUID reviewId, int reviewVersion, String rootCause, String impactSummary, List<String> preventativeMeasures,
        String author) {
}

package dev.incidentplatform.incident.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code contracts/update-posted/v1/schema.json}: {@code components} lists every component as of this update. */
@JsonPropertyOrder({ "eventId", "eventType", "schemaVersion", "streamId", "streamVersion", "incidentId", "occurredAt",
        "correlationId", "causationId", "actor" })
public record UpdatePostedV1(UUID eventId, String eventType, int schemaVersion, UUID streamId, int streamVersion,
        UUID incidentId, Instant occurredAt, String correlationId, String causationId, String actor,
        UUID updateId, String status, String message, List<ComponentV1> components, Instant effectiveAt, String author) {
}

package dev.incidentplatform.incident.events;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/** {@code contracts/incident-opened/v1/schema.json}. */
@JsonPropertyOrder({ "eventId", "eventType", "schemaVersion", "streamId", "streamVersion", "incidentId", "occurredAt",
        "correlationId", "causationId", "actor" })
public record IncidentOpenedV1(UUID eventId, String eventType, int schemaVersion, UUID streamId, int streamVersion,
        UUID incidentId, Instant occurredAt, String correlationId, String causationId, String actor,
        String title, String severity, String impact, String status, List<ComponentV1> components, Instant startedAt,
        String message, String author) {
}

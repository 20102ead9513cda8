package dev.incidentplatform.incident.events;

import java.time.Instant;
import java.util.UUID;

/** The fields every incident event carries beside its own (contracts/README.md, "The envelope"). */
public record Envelope(UUID eventId, UUID streamId, int streamVersion, Instant occurredAt, String correlationId,
        String causationId, String actor) {
}

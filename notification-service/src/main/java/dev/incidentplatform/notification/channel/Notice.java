package dev.incidentplatform.notification.channel;

import java.time.Instant;
import java.util.UUID;

/**
 * What one consumed event tells recipients, as stored when it arrived.
 *
 * @param content the notice as JSON: an {@code IncidentNotice} or a {@code CreditNotice} (the credit with its
 *         incidents' titles and windows), by {@code eventType}
 */
public record Notice(UUID eventId, String eventType, Instant occurredAt, String content) {
}

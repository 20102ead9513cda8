package dev.incidentplatform.notification.channel;

import java.time.Instant;
import java.util.UUID;

/**
 * What one consumed event tells recipients, as stored when it arrived.
 *
 * @param content the notice as JSON: an {@code IncidentNotice} or a {@code CreditNotice} (the credit with its
 *         incidents' titles and windows), by {@code eventType}
 * @param traceparent the trace context of the fan-out that stored it (W3C traceparent), which its sends continue; null
 *         when there was none
 */
public record Notice(UUID eventId, String eventType, Instant occurredAt, String content, String traceparent) {

    public Notice(UUID eventId, String eventType, Instant occurredAt, String content) {
        this(eventId, eventType, occurredAt, content, null);
    }
}

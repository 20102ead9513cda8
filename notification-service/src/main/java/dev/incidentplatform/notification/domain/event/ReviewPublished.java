package dev.incidentplatform.notification.domain.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** contracts/review-published/v1. */
public record ReviewPublished(UUID eventId, Instant occurredAt, UUID incidentId, int streamVersion, UUID reviewId,
        int reviewVersion, String rootCause, String impactSummary, List<String> preventativeMeasures, String author)
        implements NotificationEvent {

    public static final String TYPE = "review-published";

    public ReviewPublished {
        preventativeMeasures = List.copyOf(preventativeMeasures);
    }

    @Override
    public String eventType() {
        return TYPE;
    }
}

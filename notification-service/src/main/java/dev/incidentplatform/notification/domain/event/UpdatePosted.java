package dev.incidentplatform.notification.domain.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.incidentplatform.notification.domain.Component;

/** contracts/update-posted/v1: carries every component of the incident as of the update. */
public record UpdatePosted(UUID eventId, Instant occurredAt, UUID incidentId, int streamVersion, UUID updateId,
        String status, String message, List<Component> components, Instant effectiveAt, String author)
        implements NotificationEvent {

    public static final String TYPE = "update-posted";

    public UpdatePosted {
        components = List.copyOf(components);
    }

    @Override
    public String eventType() {
        return TYPE;
    }
}

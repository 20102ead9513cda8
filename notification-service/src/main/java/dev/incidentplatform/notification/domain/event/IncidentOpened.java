package dev.incidentplatform.notification.domain.event;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.incidentplatform.notification.domain.Component;

/** contracts/incident-opened/v1, the fields notices need. */
public record IncidentOpened(UUID eventId, Instant occurredAt, UUID incidentId, int streamVersion, String title,
        String severity, String status, List<Component> components, Instant startedAt, String message, String author)
        implements NotificationEvent {

    public static final String TYPE = "incident-opened";

    public IncidentOpened {
        components = List.copyOf(components);
    }

    @Override
    public String eventType() {
        return TYPE;
    }
}

package dev.incidentplatform.notification.domain.event;

import java.time.Instant;
import java.util.UUID;

/** The events of other services that lead to email, as this service reads them (its own types, not the producers'). */
public sealed interface NotificationEvent permits IncidentOpened, UpdatePosted, ReviewPublished, CreditIssued {

    UUID eventId();

    String eventType();

    Instant occurredAt();
}

package dev.incidentplatform.notification.domain.event;

import java.time.Instant;
import java.util.Set;
import java.util.UUID;

/** The events of other services that lead to email, as this service reads them (its own types, not the producers'). */
public sealed interface NotificationEvent permits IncidentOpened, UpdatePosted, ReviewPublished, CreditIssued {

    /** The event types (each in schema version 1) this service turns into notices. */
    Set<String> TYPES = Set.of(IncidentOpened.TYPE, UpdatePosted.TYPE, ReviewPublished.TYPE, CreditIssued.TYPE);

    UUID eventId();

    String eventType();

    Instant occurredAt();
}

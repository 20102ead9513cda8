package dev.incidentplatform.notification.subscriber;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** A stored subscriber, as the API shows it. */
public record Subscriber(UUID id, String email, String name, String customerId, List<String> services, List<String> regions,
        Instant unsubscribedAt, Instant createdAt, String createdBy, Instant updatedAt, String updatedBy, long version) {
}

package dev.incidentplatform.notification.subscriber;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored subscriber, as the API shows it. */
@Schema(name = "Subscriber")
public record Subscriber(
        @Schema(required = true, implementation = String.class, format = "uuid") UUID id,
        @Schema(required = true) String email,
        @Schema(nullable = true) String name,
        @Schema(nullable = true) String customerId,
        @Schema(required = true, description = "Empty: every service") List<String> services,
        @Schema(required = true, description = "Empty: every region") List<String> regions,
        @Schema(nullable = true, enumeration = { "en", "de" }, examples = "de",
                description = "The language notices are written in; null: English") String locale,
        @Schema(nullable = true, examples = "Europe/Berlin",
                description = "The IANA time zone notices write dates in; null: UTC") String timeZone,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "When the subscriber used an unsubscribe link; null while subscribed") Instant unsubscribedAt,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant createdAt,
        @Schema(required = true) String createdBy,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant updatedAt,
        @Schema(required = true) String updatedBy,
        @Schema(required = true, description = "Also the ETag") long version) {
}

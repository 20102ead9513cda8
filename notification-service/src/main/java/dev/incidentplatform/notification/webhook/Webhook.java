package dev.incidentplatform.notification.webhook;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** A stored webhook endpoint, as the API shows it: never its signing secret. */
@Schema(name = "Webhook", description = "A webhook endpoint; its signing secret is shown only when it is made or rotated")
public record Webhook(
        @Schema(required = true, implementation = String.class, format = "uuid") UUID id,
        @Schema(required = true, description = "Where notices are POSTed", example = "https://hooks.example.com/status")
        String url,
        @Schema(required = true, enumeration = { "generic", "slack", "teams" },
                description = "generic: CloudEvents 1.0 JSON; slack: Block Kit; teams: an Adaptive Card message") String format,
        @Schema(required = true, description = "Empty: every service") List<String> services,
        @Schema(required = true, description = "Empty: every region") List<String> regions,
        @Schema(nullable = true, description = "The customer whose credit notices this endpoint receives too") String customerId,
        @Schema(nullable = true, description = "Who is mailed when the endpoint is disabled for failing") String contact,
        @Schema(required = true, description = "false: nothing is sent to it") boolean enabled,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant disabledAt,
        @Schema(nullable = true, description = "Why it was disabled (410 Gone, failing for the failing period, by whom)")
        String disabledReason,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "The first failure since the last successful delivery; null while it works") Instant failingSince,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant lastSuccessAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant lastFailureAt,
        @Schema(nullable = true, description = "What the last failure was (an HTTP status line, a timeout)") String lastFailure,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "When the contact was told that the endpoint was disabled") Instant contactNotifiedAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time") Instant secretRotatedAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "Until then requests carry a signature under the previous secret too") Instant previousSecretExpiresAt,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant createdAt,
        @Schema(required = true) String createdBy,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant updatedAt,
        @Schema(required = true) String updatedBy,
        @Schema(required = true, description = "Also the ETag") long version) {
}

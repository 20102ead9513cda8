package dev.incidentplatform.platform.consume;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** An event its consumer group could not apply, where it came from, why, and whether a replay has applied it since. */
@Schema(name = "ParkedEvent")
public record ParkedEvent(
        @Schema(required = true, implementation = String.class, format = "uuid") UUID id,
        @Schema(required = true, description = "parked: waits for a replay; replayed: a replay applied it",
                enumeration = { "parked", "replayed" }) String status,
        @Schema(required = true) String consumerGroup,
        @Schema(required = true) String topic,
        @Schema(required = true) int partition,
        @Schema(required = true) long offset,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "The record's own timestamp") Instant recordTimestamp,
        @Schema(nullable = true) String key,
        @Schema(nullable = true, description = "ce_id, where the record is a readable CloudEvent") String eventId,
        @Schema(nullable = true, description = "ce_type, where the record is a readable CloudEvent") String eventType,
        @Schema(required = true, description = "unreadable: parked at once; failed: applying it failed"
                + " platform.consume.max-attempts times", enumeration = { "unreadable", "failed" }) String cause,
        @Schema(required = true, description = "The failure's message") String reason,
        @Schema(required = true, description = "The class of the failure's innermost cause") String exceptionClass,
        @Schema(required = true, description = "Attempts made before it was parked") int attempts,
        @Schema(required = true) String deadLetterTopic,
        @Schema(required = true, implementation = String.class, format = "date-time") Instant parkedAt,
        @Schema(nullable = true, implementation = String.class, format = "date-time",
                description = "When a replay applied it") Instant replayedAt,
        @Schema(nullable = true, description = "Why the last replay failed, while it is still parked") String lastReplayFailure,
        @Schema(required = true, description = "The record's headers, values as UTF-8 text") List<Header> headers,
        @Schema(nullable = true, description = "The record's value as UTF-8 text (the exact bytes are on the dead-letter"
                + " topic)") String value) {

    public static final String PARKED = "parked";
    public static final String REPLAYED = "replayed";

    @Schema(name = "ParkedEventHeader")
    public record Header(@Schema(required = true) String name, @Schema(nullable = true) String value) {
    }
}

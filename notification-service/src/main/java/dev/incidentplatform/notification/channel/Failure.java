package dev.incidentplatform.notification.channel;

import java.time.Duration;
import java.util.Optional;

/**
 * Why a send failed, classified by the channel that tried it; the pipeline decides from the kind whether and when to
 * try again.
 *
 * @param reason what the other side said, for the delivery log (an SMTP reply, an HTTP status line)
 * @param retryAfter the earliest retry the other side asked for (HTTP {@code Retry-After}); empty when it said nothing
 */
public record Failure(Kind kind, String reason, Optional<Duration> retryAfter) {

    public enum Kind {
        /** May succeed later (SMTP 4yz, HTTP 429 and 5xx, timeouts, refused connections): retried with backoff. */
        TRANSIENT,
        /** Will fail again (SMTP 5yz, HTTP 4xx other than 410 and 429, an unrenderable notice): not retried. */
        PERMANENT,
        /** The recipient no longer exists or asked to be left alone (HTTP 410, an unsubscribed address): cancelled. */
        RECIPIENT_GONE
    }

    public static Failure transientFailure(String reason) {
        return new Failure(Kind.TRANSIENT, reason, Optional.empty());
    }

    public static Failure transientFailure(String reason, Duration retryAfter) {
        return new Failure(Kind.TRANSIENT, reason, Optional.of(retryAfter));
    }

    public static Failure permanent(String reason) {
        return new Failure(Kind.PERMANENT, reason, Optional.empty());
    }

    public static Failure recipientGone(String reason) {
        return new Failure(Kind.RECIPIENT_GONE, reason, Optional.empty());
    }
}

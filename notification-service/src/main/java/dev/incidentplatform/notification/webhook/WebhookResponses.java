package dev.incidentplatform.notification.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.incidentplatform.notification.channel.Failure;

/**
 * What an endpoint's answer means for the delivery: 2xx sent; 410 the endpoint is gone; 429 and 5xx try again later,
 * no sooner than its {@code Retry-After} (delay-seconds or an HTTP date, capped); a redirect (never followed) and every
 * other status will not get better by retrying.
 */
public final class WebhookResponses {

    private static final Pattern DELAY_SECONDS = Pattern.compile("[0-9]{1,10}");
    private static final int MAX_REASON = 300;

    private WebhookResponses() {
    }

    /** @return empty for a success, else the failure to report */
    public static Optional<Failure> classify(int status, Optional<String> retryAfter, String body, Instant now, Duration cap) {
        if (status >= 200 && status < 300) {
            return Optional.empty();
        }
        String reason = reason(status, body);
        if (status == 410) {
            return Optional.of(Failure.recipientGone(reason + "; the endpoint was disabled"));
        }
        if (status == 429 || status >= 500) {
            return Optional.of(retryAfter.flatMap(value -> retryAfter(value, now, cap))
                    .map(delay -> Failure.transientFailure(reason, delay))
                    .orElseGet(() -> Failure.transientFailure(reason)));
        }
        if (status >= 300 && status < 400) {
            return Optional.of(Failure.permanent(reason + "; redirects are not followed: give the endpoint its final URL"));
        }
        return Optional.of(Failure.permanent(reason));
    }

    /** {@code Retry-After} (RFC 9110 §10.2.3) as a delay from {@code now}, at most {@code cap}; empty when unreadable. */
    public static Optional<Duration> retryAfter(String value, Instant now, Duration cap) {
        String text = value.strip();
        Duration delay;
        if (DELAY_SECONDS.matcher(text).matches()) {
            delay = Duration.ofSeconds(Long.parseLong(text));
        } else {
            try {
                delay = Duration.between(now, ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
            if (delay.isNegative()) {
                delay = Duration.ZERO;
            }
        }
        return Optional.of(delay.compareTo(cap) > 0 ? cap : delay);
    }

    /** The status and the start of the body, on one printable line, for the delivery log. */
    static String reason(int status, String body) {
        String excerpt = body == null ? "" : body.replaceAll("[\\p{Cntrl}\\s]+", " ").strip();
        String reason = "HTTP " + status + (excerpt.isEmpty() ? "" : ": " + excerpt);
        return reason.length() <= MAX_REASON ? reason : reason.substring(0, MAX_REASON) + "…";
    }
}

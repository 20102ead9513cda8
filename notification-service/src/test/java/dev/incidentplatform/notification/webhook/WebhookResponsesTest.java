package dev.incidentplatform.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.channel.Failure;

class WebhookResponsesTest {

    private static final Instant NOW = Instant.parse("2024-07-01T10:00:00Z");
    private static final Duration CAP = Duration.ofHours(1);

    private static Optional<Failure> classify(int status, String retryAfter) {
        return WebhookResponses.classify(status, Optional.ofNullable(retryAfter), "body", NOW, CAP);
    }

    @Test
    void statusesClassifyAsTheChannelContractSays() {
        assertThat(classify(200, null)).isEmpty();
        assertThat(classify(204, null)).isEmpty();
        assertThat(classify(410, null).orElseThrow().kind()).isEqualTo(Failure.Kind.RECIPIENT_GONE);
        assertThat(classify(429, null).orElseThrow().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(classify(500, null).orElseThrow().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(classify(503, null).orElseThrow().kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(classify(400, null).orElseThrow().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(classify(404, null).orElseThrow().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(classify(301, null).orElseThrow().reason()).contains("redirects are not followed");
        assertThat(classify(100, null).orElseThrow().kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(classify(404, null).orElseThrow().reason()).isEqualTo("HTTP 404: body");
    }

    @Test
    void retryAfterIsReadAsSecondsOrAnHttpDateAndCapped() {
        assertThat(classify(429, "120").orElseThrow().retryAfter()).contains(Duration.ofSeconds(120));
        assertThat(classify(503, "Mon, 01 Jul 2024 10:05:00 GMT").orElseThrow().retryAfter()).contains(Duration.ofMinutes(5));
        assertThat(classify(503, "Mon, 01 Jul 2024 09:00:00 GMT").orElseThrow().retryAfter()).contains(Duration.ZERO);
        assertThat(classify(429, "86400").orElseThrow().retryAfter()).contains(CAP);
        assertThat(classify(429, "soon").orElseThrow().retryAfter()).isEmpty();
        assertThat(classify(429, "-5").orElseThrow().retryAfter()).isEmpty();
        assertThat(classify(400, "10").orElseThrow().retryAfter()).isEmpty();
    }

    @Test
    void theReasonIsOnePrintableBoundedLine() {
        String reason = WebhookResponses.reason(500, "line one\nline\u0000two\t" + "x".repeat(1000));
        assertThat(reason).startsWith("HTTP 500: line one line two x").doesNotContain("\n", "\u0000").hasSizeLessThanOrEqualTo(301);
    }
}

package dev.incidentplatform.platform.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

class TokenTimeRulesTest {

    private static final Instant NOW = Instant.parse("2024-07-19T04:09:00Z");
    private final TokenTimeRules rules = new TokenTimeRules(Duration.ofSeconds(60), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aTokenIssuedAheadOfTheClockBeyondTheSkewIsRefused() {
        assertThat(rules.issuedInTheFuture(NOW.getEpochSecond())).isFalse();
        assertThat(rules.issuedInTheFuture(NOW.plusSeconds(60).getEpochSecond())).isFalse();
        assertThat(rules.issuedInTheFuture(NOW.plusSeconds(61).getEpochSecond())).isTrue();
        assertThat(rules.issuedInTheFuture(NOW.plus(Duration.ofDays(1)).getEpochSecond())).isTrue();
        assertThat(rules.issuedInTheFuture(NOW.minus(Duration.ofDays(1)).getEpochSecond())).isFalse();
    }
}

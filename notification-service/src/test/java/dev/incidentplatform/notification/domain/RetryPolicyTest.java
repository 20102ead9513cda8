package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** Given attempts so far and the SMTP reply → retry after a jittered exponential delay, or give up. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(10));

    @Test
    void aPermanentReplyFailsAtOnce() {
        assertThat(policy.afterFailure(1, 550, new Random(1)).retry()).isFalse();
        assertThat(policy.afterFailure(1, 554, new Random(1)).retry()).isFalse();
    }

    @Test
    void aTransientReplyOrNoReplyIsRetriedUntilTheAttemptsRunOut() {
        assertThat(policy.afterFailure(1, 451, new Random(1)).retry()).isTrue();
        assertThat(policy.afterFailure(1, 421, new Random(1)).retry()).isTrue();
        assertThat(policy.afterFailure(4, null, new Random(1)).retry()).isTrue();
        assertThat(policy.afterFailure(5, null, new Random(1)).retry()).isFalse();
    }

    @Test
    void delaysDoubleWithinJitterBoundsUpToTheCap() {
        Random random = new Random(42);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.delayAfter(1, random)).isBetween(Duration.ofSeconds(1), Duration.ofSeconds(2));
            assertThat(policy.delayAfter(2, random)).isBetween(Duration.ofSeconds(2), Duration.ofSeconds(4));
            assertThat(policy.delayAfter(3, random)).isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
            assertThat(policy.delayAfter(4, random)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
            assertThat(policy.delayAfter(30, random)).isBetween(Duration.ofSeconds(5), Duration.ofSeconds(10));
        }
    }

    @Test
    void jitterSpreadsSendersThatFailedTogether() {
        Random random = new Random(7);
        long distinct = java.util.stream.IntStream.range(0, 50).mapToObj(i -> policy.delayAfter(3, random)).distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }
}

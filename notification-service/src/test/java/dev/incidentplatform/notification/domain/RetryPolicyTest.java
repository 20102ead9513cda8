package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.channel.Failure;
import dev.incidentplatform.notification.domain.RetryPolicy.Action;

/** Given attempts so far and how the channel classified the failure → retry after a delay, give up, or cancel. */
class RetryPolicyTest {

    private final RetryPolicy policy = new RetryPolicy(5, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofMinutes(30));

    @Test
    void aPermanentFailureGivesUpAtOnceWithItsReason() {
        RetryPolicy.Decision decision = policy.afterFailure(1, Failure.permanent("550 5.1.1 no such user"), new Random(1));
        assertThat(decision.action()).isEqualTo(Action.GIVE_UP);
        assertThat(decision.reason()).isEqualTo("550 5.1.1 no such user");
    }

    @Test
    void aRecipientWhoIsGoneIsCancelled() {
        RetryPolicy.Decision decision = policy.afterFailure(1, Failure.recipientGone("HTTP 410 Gone"), new Random(1));
        assertThat(decision.action()).isEqualTo(Action.CANCEL);
        assertThat(decision.reason()).isEqualTo("HTTP 410 Gone");
    }

    @Test
    void aTransientFailureIsRetriedUntilTheAttemptsRunOut() {
        assertThat(policy.afterFailure(1, Failure.transientFailure("451 try later"), new Random(1)).action()).isEqualTo(Action.RETRY);
        assertThat(policy.afterFailure(4, Failure.transientFailure("timeout"), new Random(1)).action()).isEqualTo(Action.RETRY);
        RetryPolicy.Decision last = policy.afterFailure(5, Failure.transientFailure("timeout"), new Random(1));
        assertThat(last.action()).isEqualTo(Action.GIVE_UP);
        assertThat(last.reason()).isEqualTo("timeout");
    }

    @Test
    void retryAfterIsTheEarliestRetryAndABackoffLongerThanItStands() {
        Random random = new Random(3);
        for (int i = 0; i < 200; i++) {
            assertThat(policy.afterFailure(1, Failure.transientFailure("429", Duration.ofSeconds(30)), random).delay())
                    .isEqualTo(Duration.ofSeconds(30));
            // Backoff after 3 attempts is 4–8 s: a retryAfter of 1 s does not make it sooner.
            assertThat(policy.afterFailure(3, Failure.transientFailure("503", Duration.ofSeconds(1)), random).delay())
                    .isBetween(Duration.ofSeconds(4), Duration.ofSeconds(8));
        }
    }

    @Test
    void aRetryAfterLongerThanTheLongestWaitGivesUpSayingSo() {
        RetryPolicy.Decision decision = policy.afterFailure(1, Failure.transientFailure("HTTP 503", Duration.ofHours(2)),
                new Random(1));
        assertThat(decision.action()).isEqualTo(Action.GIVE_UP);
        assertThat(decision.reason()).isEqualTo("HTTP 503 (asked to retry after PT2H, longer than the PT30M a notice may wait)");
        assertThat(policy.afterFailure(1, Failure.transientFailure("HTTP 503", Duration.ofMinutes(30)), new Random(1)).action())
                .isEqualTo(Action.RETRY);
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
        long distinct = IntStream.range(0, 50).mapToObj(i -> policy.delayAfter(3, random)).distinct().count();
        assertThat(distinct).isGreaterThan(40);
    }
}

package dev.incidentplatform.notification.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * What happens after a failed send: a permanent SMTP reply (5yz) fails at once; a transient one (4yz) or a
 * connection failure is retried after an exponentially growing, jittered delay until the attempts run out.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
    }

    /** The outcome of a failed attempt: retry after {@code delay}, or give up. */
    public record Decision(boolean retry, Duration delay) {

        static Decision giveUp() {
            return new Decision(false, Duration.ZERO);
        }
    }

    /**
     * @param attemptsMade attempts so far, including the one that just failed
     * @param replyCode the SMTP reply code, or null when no reply came (connection refused, timeout)
     */
    public Decision afterFailure(int attemptsMade, Integer replyCode, RandomGenerator random) {
        if (permanent(replyCode) || attemptsMade >= maxAttempts) {
            return Decision.giveUp();
        }
        return new Decision(true, delayAfter(attemptsMade, random));
    }

    public static boolean permanent(Integer replyCode) {
        return replyCode != null && replyCode >= 500 && replyCode < 600;
    }

    /** Half the exponential step plus a random part of the other half ("equal jitter"): grows, never in lockstep. */
    Duration delayAfter(int attemptsMade, RandomGenerator random) {
        long step = base.toMillis();
        for (int i = 1; i < attemptsMade && step < cap.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, cap.toMillis());
        long half = step / 2;
        return Duration.ofMillis(half + (half > 0 ? random.nextLong(half + 1) : 0));
    }
}

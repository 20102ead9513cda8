package dev.incidentplatform.notification.domain;

import java.time.Duration;
import java.util.random.RandomGenerator;

import dev.incidentplatform.notification.channel.Failure;

/**
 * What happens after a failed send, whatever the channel, from how the channel classified the failure: a permanent
 * one gives up at once; a recipient who is gone is cancelled; a transient one is retried after an exponentially
 * growing, jittered delay, never sooner than the other side asked for (its {@code retryAfter}), until the attempts
 * run out. An other side that asks for a wait longer than {@code maxRetryAfter} is given up on: the notice would be
 * stale by then, and the row would wait for it.
 */
public record RetryPolicy(int maxAttempts, Duration base, Duration cap, Duration maxRetryAfter) {

    public RetryPolicy {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1");
        }
        if (base.isNegative() || base.isZero() || cap.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= cap");
        }
        if (maxRetryAfter.isNegative()) {
            throw new IllegalArgumentException("maxRetryAfter must not be negative");
        }
    }

    public enum Action {
        /** Pending again after {@code delay}. */
        RETRY,
        /** Failed for good, with the reason. */
        GIVE_UP,
        /** Cancelled: the recipient is gone. */
        CANCEL
    }

    /** The outcome of a failed attempt and the reason the delivery log keeps. */
    public record Decision(Action action, Duration delay, String reason) {

        static Decision giveUp(String reason) {
            return new Decision(Action.GIVE_UP, Duration.ZERO, reason);
        }
    }

    /**
     * @param attemptsMade attempts so far, including the one that just failed
     */
    public Decision afterFailure(int attemptsMade, Failure failure, RandomGenerator random) {
        return switch (failure.kind()) {
            case PERMANENT -> Decision.giveUp(failure.reason());
            case RECIPIENT_GONE -> new Decision(Action.CANCEL, Duration.ZERO, failure.reason());
            case TRANSIENT -> afterTransientFailure(attemptsMade, failure, random);
        };
    }

    private Decision afterTransientFailure(int attemptsMade, Failure failure, RandomGenerator random) {
        if (attemptsMade >= maxAttempts) {
            return Decision.giveUp(failure.reason());
        }
        Duration backoff = delayAfter(attemptsMade, random);
        if (failure.retryAfter().isEmpty()) {
            return new Decision(Action.RETRY, backoff, failure.reason());
        }
        Duration asked = failure.retryAfter().get();
        if (asked.compareTo(maxRetryAfter) > 0) {
            return Decision.giveUp(failure.reason() + " (asked to retry after " + asked + ", longer than the " + maxRetryAfter
                    + " a notice may wait)");
        }
        return new Decision(Action.RETRY, asked.compareTo(backoff) > 0 ? asked : backoff, failure.reason());
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

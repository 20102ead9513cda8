package dev.incidentplatform.platform.outbox;

import java.time.Duration;
import java.time.Instant;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

/**
 * Whether one subscription keeps up, in the health group {@value Subscriptions#HEALTH_GROUP}
 * ({@code /q/health/group/relay}), not in readiness: the rows wait safely in the table while Kafka is away, and the
 * REST API works meanwhile. DOWN when the oldest row not yet delivered waits longer than the subscription's
 * {@code maxLag} (whichever instance leads: the backlog is the database's), or when the backlog cannot be sampled.
 */
final class SubscriptionHealthCheck implements HealthCheck {

    /** A sample older than this means the sampler cannot read the table. */
    static final Duration STALE_SAMPLE = Duration.ofSeconds(10);

    private final Subscription subscription;
    private final SubscriptionMetrics metrics;

    SubscriptionHealthCheck(Subscription subscription, SubscriptionMetrics metrics) {
        this.subscription = subscription;
        this.metrics = metrics;
    }

    @Override
    public HealthCheckResponse call() {
        SubscriptionMetrics.Lag lag = metrics.lag();
        SubscriptionSettings settings = subscription.settings();
        boolean leader = subscription.leader();
        HealthCheckResponseBuilder response = HealthCheckResponse.named(settings.name())
                .withData("running", subscription.running())
                .withData("leader", leader)
                .withData("lagEvents", lag.rows())
                .withData("lagSeconds", lag.oldest().toSeconds())
                .withData("maxLagSeconds", settings.maxLag().toSeconds());
        if (lag.sampledAt() == null) {
            return response.withData("reason", "the lag has not been sampled yet: " + lag.failure()).down().build();
        }
        if (Duration.between(lag.sampledAt(), Instant.now()).compareTo(STALE_SAMPLE) > 0) {
            return response.withData("reason", "the lag was last sampled at " + lag.sampledAt() + ": " + lag.failure())
                    .down().build();
        }
        if (lag.oldest().compareTo(settings.maxLag()) > 0) {
            return response.withData("reason", "the oldest row not yet delivered waits longer than maxLagSeconds (is Kafka"
                    + " reachable? see /q/health/group/broker)").down().build();
        }
        return response.withData("reason", leader ? "delivering" : subscription.running()
                ? "standing by: another instance holds the subscription's lock"
                : "the subscription does not run in this instance").up().build();
    }
}

package dev.incidentplatform.incident.health;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.incidentplatform.incident.metrics.IncidentMetrics;
import dev.incidentplatform.incident.relay.OutboxRelay;
import io.smallrye.health.api.HealthGroup;

/**
 * {@code /q/health/group/relay}: whether the outbox relay keeps Kafka current. Not part of readiness: commands are
 * accepted while Kafka is away, and the events wait in the store. An instance that stands by (another one holds the
 * lock) is healthy; the leader is down when the oldest event it has not published is older than
 * {@code incident.relay.health.max-lag}, or when the backlog cannot be sampled.
 */
@HealthGroup(RelayHealthCheck.GROUP)
@ApplicationScoped
public class RelayHealthCheck implements HealthCheck {

    public static final String GROUP = "relay";
    /** A sample older than this means the sampler cannot read the event store. */
    static final Duration STALE_SAMPLE = Duration.ofSeconds(10);

    private final OutboxRelay relay;
    private final IncidentMetrics metrics;
    private final Duration maxLag;

    public RelayHealthCheck(OutboxRelay relay, IncidentMetrics metrics,
            @ConfigProperty(name = "incident.relay.health.max-lag", defaultValue = "PT60S") Duration maxLag) {
        this.relay = relay;
        this.metrics = metrics;
        this.maxLag = maxLag;
    }

    @Override
    public HealthCheckResponse call() {
        IncidentMetrics.Lag lag = metrics.lag();
        boolean leader = relay.leader();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("outbox-relay")
                .withData("running", relay.running())
                .withData("leader", leader)
                .withData("lagEvents", lag.relayEvents())
                .withData("lagSeconds", lag.relayAge().toSeconds())
                .withData("maxLagSeconds", maxLag.toSeconds());
        String problem = sampleProblem(lag);
        if (problem != null) {
            return response.withData("reason", problem).down().build();
        }
        if (leader && lag.relayAge().compareTo(maxLag) > 0) {
            return response.withData("reason", "the oldest unpublished event waits longer than maxLagSeconds (is Kafka "
                    + "reachable? see /q/health/group/broker)").down().build();
        }
        return response.withData("reason", leader ? "publishing" : relay.running() ? "standing by: another instance holds"
                + " the relay's lock" : "the relay does not run in this instance (incident.relay.enabled)").up().build();
    }

    /** Why the sampled lag cannot be trusted, or null. */
    static String sampleProblem(IncidentMetrics.Lag lag) {
        if (lag.sampledAt() == null) {
            return "the lag has not been sampled yet: " + lag.failure();
        }
        if (Duration.between(lag.sampledAt(), Instant.now()).compareTo(STALE_SAMPLE) > 0) {
            return "the lag was last sampled at " + lag.sampledAt() + ": " + lag.failure();
        }
        return null;
    }
}

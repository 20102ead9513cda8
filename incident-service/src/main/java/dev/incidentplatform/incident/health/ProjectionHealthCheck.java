package dev.incidentplatform.incident.health;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import dev.incidentplatform.incident.metrics.IncidentMetrics;
import io.smallrye.health.api.HealthGroup;

/**
 * {@code /q/health/group/relay}: whether the read models (the list and the status board) keep up with the event
 * store: down when the oldest event not yet applied is older than {@code incident.projector.health.max-lag}, or when
 * the backlog cannot be sampled. Reads of single incidents come from the event store and are never behind.
 */
@HealthGroup(RelayHealthCheck.GROUP)
@ApplicationScoped
public class ProjectionHealthCheck implements HealthCheck {

    private final IncidentMetrics metrics;
    private final Duration maxLag;

    public ProjectionHealthCheck(IncidentMetrics metrics,
            @ConfigProperty(name = "incident.projector.health.max-lag", defaultValue = "PT60S") Duration maxLag) {
        this.metrics = metrics;
        this.maxLag = maxLag;
    }

    @Override
    public HealthCheckResponse call() {
        IncidentMetrics.Lag lag = metrics.lag();
        HealthCheckResponseBuilder response = HealthCheckResponse.named("projection")
                .withData("lagEvents", lag.projectionEvents())
                .withData("lagSeconds", lag.projectionAge().toSeconds())
                .withData("maxLagSeconds", maxLag.toSeconds());
        String problem = RelayHealthCheck.sampleProblem(lag);
        if (problem != null) {
            return response.withData("reason", problem).down().build();
        }
        if (lag.projectionAge().compareTo(maxLag) > 0) {
            return response.withData("reason", "the oldest event not yet in the read models waits longer than maxLagSeconds")
                    .down().build();
        }
        return response.up().build();
    }
}

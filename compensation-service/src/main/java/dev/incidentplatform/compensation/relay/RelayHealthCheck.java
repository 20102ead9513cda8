package dev.incidentplatform.compensation.relay;

import java.sql.SQLException;
import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import io.smallrye.health.api.HealthGroup;

/**
 * The credit relay in the health group {@code relay} ({@code /q/health/group/relay}), not in readiness: credits that
 * wait for the broker are safe in the ledger, and the REST API works meanwhile. DOWN when the oldest unpublished
 * credit is older than {@code compensation.relay.max-lag} (the broker away, the relay stuck) or the ledger cannot be
 * read; the data say how many wait and for how long.
 */
@HealthGroup(RelayHealthCheck.GROUP)
@ApplicationScoped
public class RelayHealthCheck implements HealthCheck {

    public static final String GROUP = "relay";

    private final RelayLag lag;
    private final Duration maxLag;

    public RelayHealthCheck(RelayLag lag,
            @ConfigProperty(name = "compensation.relay.max-lag", defaultValue = "PT5M") Duration maxLag) {
        this.lag = lag;
        this.maxLag = maxLag;
    }

    @Override
    public HealthCheckResponse call() {
        try {
            RelayLag.Measurement measured = lag.measure();
            return HealthCheckResponse.named("Credit relay").status(measured.oldestSeconds() <= maxLag.toSeconds())
                    .withData("lagEvents", measured.events())
                    .withData("lagSeconds", (long) Math.ceil(measured.oldestSeconds()))
                    .withData("maxLagSeconds", maxLag.toSeconds()).build();
        } catch (SQLException | RuntimeException e) {
            return HealthCheckResponse.named("Credit relay").down().withData("error", "the ledger cannot be read").build();
        }
    }
}

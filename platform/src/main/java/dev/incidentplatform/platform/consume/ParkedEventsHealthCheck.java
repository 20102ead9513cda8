package dev.incidentplatform.platform.consume;

import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.health.api.HealthGroup;

/**
 * Parked events waiting for a replay, in the health group {@code parked-events} ({@code /q/health/group/parked-events}):
 * DOWN while any waits, with how many and since when. Not in readiness or liveness: a parked event needs a person to
 * look at it, while the service goes on serving and consuming; taking it out of the load balancer or restarting it
 * would fix nothing. Present in the services that set {@code platform.consume.enabled=true} (those with the
 * {@code parked_event} table).
 */
@HealthGroup(ParkedEventsHealthCheck.GROUP)
@IfBuildProperty(name = "platform.consume.enabled", stringValue = "true")
@ApplicationScoped
public class ParkedEventsHealthCheck implements HealthCheck {

    public static final String GROUP = "parked-events";

    private final ParkedEvents parked;

    public ParkedEventsHealthCheck(ParkedEvents parked) {
        this.parked = parked;
    }

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("Parked events");
        try {
            ParkedEvents.Waiting waiting = parked.waiting();
            response.status(waiting.count() == 0).withData("waiting", waiting.count());
            if (waiting.oldest() != null) {
                response.withData("oldestParkedAt", waiting.oldest().toString());
            }
        } catch (SQLException | RuntimeException e) {
            response.down().withData("error", String.valueOf(e.getMessage()));
        }
        return response.build();
    }
}

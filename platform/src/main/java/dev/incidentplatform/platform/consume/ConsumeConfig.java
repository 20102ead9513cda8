package dev.incidentplatform.platform.consume;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code platform.consume.*}: how long a failing event is retried before it is parked. */
@ConfigMapping(prefix = "platform.consume")
public interface ConsumeConfig {

    /** Attempts of an event whose failure is not transient (its own fault, most likely) before it is parked. */
    @WithDefault("5")
    int maxAttempts();

    /** The first retry's delay; each further one doubles it up to {@link #backoffCap()}, less up to half at random. */
    @WithDefault("PT0.2S")
    Duration backoffBase();

    /** The longest wait between two attempts (a database outage is retried at this pace for as long as it lasts). */
    @WithDefault("PT30S")
    Duration backoffCap();

    /**
     * Set (at build time) by a service that consumes through {@link EventConsumption} and so has the
     * {@code parked_event} table: turns on {@link ParkedEventsHealthCheck} and {@link ParkedEventResource}.
     */
    @WithDefault("false")
    boolean enabled();

    /**
     * The role that may list and replay parked events: the service's administrators'. Its default is in the platform's
     * microprofile-config.properties, where the {@code @RolesAllowed} expression of {@link ParkedEventResource} finds it.
     */
    String adminRole();
}

package dev.incidentplatform.compensation.domain;

import java.util.Objects;

/** One entry of an incident event's {@code components}: a service's status in some regions (or globally). */
public record ComponentState(String service, RegionSet regions, ComponentStatus status) {

    public ComponentState {
        Objects.requireNonNull(service, "service");
        Objects.requireNonNull(regions, "regions");
        Objects.requireNonNull(status, "status");
    }
}

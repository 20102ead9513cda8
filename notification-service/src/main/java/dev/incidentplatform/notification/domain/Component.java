package dev.incidentplatform.notification.domain;

import java.util.List;
import java.util.Objects;

/** An affected component of an incident: a service in some regions (or {@code global}) and its status. */
public record Component(String service, List<String> regions, String status) {

    public static final String GLOBAL = "global";

    public Component {
        Objects.requireNonNull(service, "service");
        regions = List.copyOf(regions);
        Objects.requireNonNull(status, "status");
    }

    public boolean global() {
        return regions.contains(GLOBAL);
    }
}

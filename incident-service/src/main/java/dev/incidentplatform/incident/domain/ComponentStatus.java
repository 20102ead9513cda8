package dev.incidentplatform.incident.domain;

import java.util.Arrays;
import java.util.Optional;

/** Statuspage's component statuses, ordered from harmless to worst ({@link #rank()}). */
public enum ComponentStatus {
    OPERATIONAL("operational", 0),
    UNDER_MAINTENANCE("under_maintenance", 1),
    DEGRADED_PERFORMANCE("degraded_performance", 2),
    PARTIAL_OUTAGE("partial_outage", 3),
    MAJOR_OUTAGE("major_outage", 4);

    private final String wire;
    private final int rank;

    ComponentStatus(String wire, int rank) {
        this.wire = wire;
        this.rank = rank;
    }

    public String wire() {
        return wire;
    }

    public int rank() {
        return rank;
    }

    public boolean worseThan(ComponentStatus other) {
        return rank > other.rank;
    }

    public static Optional<ComponentStatus> parse(String value) {
        return Arrays.stream(values()).filter(status -> status.wire.equals(value)).findFirst();
    }
}

package dev.incidentplatform.incident.domain;

import java.util.Arrays;
import java.util.Optional;

/** Where the work on an incident stands; {@link #RESOLVED} is final. */
public enum IncidentStatus {
    INVESTIGATING("investigating"), IDENTIFIED("identified"), MONITORING("monitoring"), RESOLVED("resolved");

    private final String wire;

    IncidentStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<IncidentStatus> parse(String value) {
        return Arrays.stream(values()).filter(status -> status.wire.equals(value)).findFirst();
    }
}

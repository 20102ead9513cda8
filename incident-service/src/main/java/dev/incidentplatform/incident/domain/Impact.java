package dev.incidentplatform.incident.domain;

/** The customer-facing impact, derived from the worst component status (contracts/README.md). */
public enum Impact {
    NONE("none"), MINOR("minor"), MAJOR("major"), CRITICAL("critical");

    private final String wire;

    Impact(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Impact of(ComponentStatus worst) {
        return switch (worst) {
            case MAJOR_OUTAGE -> CRITICAL;
            case PARTIAL_OUTAGE -> MAJOR;
            case DEGRADED_PERFORMANCE -> MINOR;
            case OPERATIONAL, UNDER_MAINTENANCE -> NONE;
        };
    }
}

package dev.incidentplatform.compensation.domain;

import java.util.Locale;

/** Statuspage component statuses; only the two outage statuses count as downtime for the SLA. */
public enum ComponentStatus {
    OPERATIONAL, DEGRADED_PERFORMANCE, PARTIAL_OUTAGE, MAJOR_OUTAGE, UNDER_MAINTENANCE;

    public boolean isDowntime() {
        return this == PARTIAL_OUTAGE || this == MAJOR_OUTAGE;
    }

    public static ComponentStatus fromWire(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown component status '" + value + "'");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

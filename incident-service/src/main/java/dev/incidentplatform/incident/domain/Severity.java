package dev.incidentplatform.incident.domain;

import java.util.Arrays;
import java.util.Optional;

/** How bad an incident is, as the incident commander rates it: SEV1 is the worst. */
public enum Severity {
    SEV1, SEV2, SEV3, SEV4;

    public static Optional<Severity> parse(String value) {
        return Arrays.stream(values()).filter(severity -> severity.name().equals(value)).findFirst();
    }
}

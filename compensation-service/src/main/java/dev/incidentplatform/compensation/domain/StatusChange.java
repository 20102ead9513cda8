package dev.incidentplatform.compensation.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What one incident event says about impact: from {@code effectiveAt} on, the components are as listed (every
 * component of the incident, not only the changed ones). {@code resolves} ends all impact at {@code effectiveAt}.
 */
public record StatusChange(long streamVersion, Instant effectiveAt, boolean resolves, List<ComponentState> components) {

    public StatusChange {
        Objects.requireNonNull(effectiveAt, "effectiveAt");
        components = List.copyOf(components);
    }
}

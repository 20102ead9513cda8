package dev.incidentplatform.compensation.outage;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.incidentplatform.compensation.domain.ComponentState;
import dev.incidentplatform.compensation.domain.StatusChange;

/**
 * What this service reads from an incident event (tolerant reader: the fields it needs, nothing else). For
 * {@code review-published}, {@code effectiveAt} and {@code components} are absent.
 */
public record IncidentEvent(UUID eventId, String type, UUID incidentId, long streamVersion, Instant occurredAt,
        Instant effectiveAt, boolean resolves, List<ComponentState> components, String componentsJson, String actor,
        String correlationId) {

    public static final String OPENED = "incident-opened";
    public static final String UPDATE_POSTED = "update-posted";
    public static final String REVIEW_PUBLISHED = "review-published";

    public boolean changesImpact() {
        return !type.equals(REVIEW_PUBLISHED);
    }

    public StatusChange statusChange() {
        return new StatusChange(streamVersion, effectiveAt, resolves, components);
    }
}

package dev.incidentplatform.incident.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * What an incident commander asks for. Optional fields are null when absent; the aggregate decides what is required.
 */
public sealed interface IncidentCommand {

    /** Who asks: the authenticated principal. */
    String actor();

    /** {@code status} defaults to investigating and {@code startedAt} to now. */
    record OpenIncident(UUID incidentId, String title, Severity severity, IncidentStatus status, String message,
            Instant startedAt, List<Component> components, String actor) implements IncidentCommand {
    }

    /** {@code components} (optional) take their new status, the others keep theirs; {@code effectiveAt} defaults to now. */
    record PostUpdate(UUID updateId, IncidentStatus status, String message, List<Component> components,
            Instant effectiveAt, String actor) implements IncidentCommand {
    }

    /**
     * The first review of a resolved incident, or a correction of the review at version {@code correctsVersion}:
     * naming the version corrected keeps a retried or careless request from publishing a second review.
     */
    record PublishReview(UUID reviewId, String rootCause, String impactSummary, List<String> preventativeMeasures,
            Integer correctsVersion, String actor) implements IncidentCommand {
    }
}

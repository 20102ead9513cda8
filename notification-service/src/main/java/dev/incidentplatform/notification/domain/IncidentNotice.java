package dev.incidentplatform.notification.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.incidentplatform.notification.domain.event.IncidentOpened;
import dev.incidentplatform.notification.domain.event.ReviewPublished;
import dev.incidentplatform.notification.domain.event.UpdatePosted;

/**
 * What one incident event tells subscribers, with the incident's title, severity and start as known when the event
 * arrived (update-posted and review-published do not carry them).
 *
 * @param startedAt when the incident's impact began (its opening's {@code startedAt}); null when the opening was never
 *         seen, and in notices stored before it was recorded
 */
public record IncidentNotice(String eventType, UUID incidentId, int streamVersion, String title, String severity,
        String status, String message, List<Component> components, Instant effectiveAt, Review review,
        Instant startedAt) {

    /** The incident as this service last saw it; {@code startedAt} null when not known. */
    public record IncidentState(String title, String severity, String status, Instant startedAt) {

        public IncidentState(String title, String severity, String status) {
            this(title, severity, status, null);
        }
    }

    public record Review(int reviewVersion, String rootCause, String impactSummary, List<String> preventativeMeasures) {
    }

    public IncidentNotice {
        components = components == null ? List.of() : List.copyOf(components);
    }

    public static IncidentNotice of(IncidentOpened event) {
        return new IncidentNotice(IncidentOpened.TYPE, event.incidentId(), event.streamVersion(), event.title(),
                event.severity(), event.status(), event.message(), event.components(), event.startedAt(), null,
                event.startedAt());
    }

    /** {@code known} is null when the opening was never seen (e.g. it left the topic before this service started). */
    public static IncidentNotice of(UpdatePosted event, IncidentState known) {
        return new IncidentNotice(UpdatePosted.TYPE, event.incidentId(), event.streamVersion(), titleOf(known, event.incidentId()),
                known == null ? null : known.severity(), event.status(), event.message(), event.components(),
                event.effectiveAt(), null, known == null ? null : known.startedAt());
    }

    public static IncidentNotice of(ReviewPublished event, IncidentState known) {
        return new IncidentNotice(ReviewPublished.TYPE, event.incidentId(), event.streamVersion(), titleOf(known, event.incidentId()),
                known == null ? null : known.severity(), known == null ? "resolved" : known.status(), null, List.of(),
                event.occurredAt(), new Review(event.reviewVersion(), event.rootCause(), event.impactSummary(),
                        event.preventativeMeasures()), known == null ? null : known.startedAt());
    }

    /** The first 8 hex digits of the incident id: what people quote. */
    public String shortId() {
        return shortId(incidentId);
    }

    public static String shortId(UUID incidentId) {
        return incidentId.toString().substring(0, 8);
    }

    /** Status notices (opening, updates) can stand in for each other; a review is a different kind of mail. */
    public boolean statusNotice() {
        return !ReviewPublished.TYPE.equals(eventType);
    }

    private static String titleOf(IncidentState known, UUID incidentId) {
        return known == null ? "Incident " + shortId(incidentId) : known.title();
    }
}

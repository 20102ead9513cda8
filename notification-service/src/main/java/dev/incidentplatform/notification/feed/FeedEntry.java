package dev.incidentplatform.notification.feed;

import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.IncidentNotice;

/**
 * One entry of a feed: one incident notice (an opening, an update or a post-incident review) with the link to its
 * incident's page. Its text is {@link FeedText#clean clean}; a review carries the components of its incident's last
 * status notice before it (the review event names none), which is also whom the review reached by mail.
 *
 * @param occurredAt when the event happened (the entry's date in every format)
 * @param recordedAt when this service stored it, so when the entry joined the feed (the feed's Last-Modified)
 */
record FeedEntry(UUID eventId, Instant occurredAt, Instant recordedAt, IncidentNotice notice, String url) {

    static final String REVIEW_STATUS = "Post-incident review";

    /** What a reader lists: {@code [SEV1] Storage down — Investigating}, as the notice's email subject says it. */
    String headline() {
        return (notice.severity() == null ? "" : "[" + notice.severity() + "] ") + notice.title() + " — " + statusLabel();
    }

    String statusLabel() {
        return review() ? REVIEW_STATUS : label(notice.status());
    }

    boolean review() {
        return notice.review() != null;
    }

    /** The services the entry is about, each once, in the event's order: the entry's categories (tags). */
    List<String> services() {
        LinkedHashSet<String> services = new LinkedHashSet<>();
        notice.components().forEach(component -> services.add(component.service()));
        return List.copyOf(services);
    }

    /** {@code teams (eu-west, us-east): Major outage}. */
    static String componentLine(Component component) {
        return component.service() + " (" + String.join(", ", component.regions()) + "): " + label(component.status());
    }

    /** {@code partial_outage} → {@code Partial outage}. */
    static String label(String status) {
        if (status == null || status.isEmpty()) {
            return "";
        }
        String words = status.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** The notice with every text {@link FeedText#clean clean}, and {@code components} in place of its own when given. */
    static IncidentNotice cleaned(IncidentNotice notice, List<Component> components) {
        List<Component> shown = (components == null ? notice.components() : components).stream()
                .map(c -> new Component(FeedText.clean(c.service()), c.regions().stream().map(FeedText::clean).toList(),
                        FeedText.clean(c.status())))
                .toList();
        IncidentNotice.Review review = notice.review() == null ? null
                : new IncidentNotice.Review(notice.review().reviewVersion(), FeedText.clean(notice.review().rootCause()),
                        FeedText.clean(notice.review().impactSummary()),
                        notice.review().preventativeMeasures() == null ? List.of()
                                : notice.review().preventativeMeasures().stream().map(FeedText::clean).toList());
        return new IncidentNotice(notice.eventType(), notice.incidentId(), notice.streamVersion(), FeedText.clean(notice.title()),
                FeedText.clean(notice.severity()), FeedText.clean(notice.status()), FeedText.clean(notice.message()), shown,
                notice.effectiveAt(), review, notice.startedAt());
    }
}

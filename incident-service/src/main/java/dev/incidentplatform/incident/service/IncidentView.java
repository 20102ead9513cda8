package dev.incidentplatform.incident.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.annotation.JsonInclude;

import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.incident.domain.Incident;
import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.domain.IncidentEvent.ReviewPublished;
import dev.incidentplatform.incident.domain.IncidentEvent.UpdatePosted;
import dev.incidentplatform.incident.events.EventCodec.Decoded;

/** An incident as the API shows it: the fold of its events (up to {@code asOf}, if asked). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentView(UUID id, String title, String severity, String impact, String status,
        List<ComponentView> components, Instant startedAt, Instant openedAt, String openedBy, Instant updatedAt,
        Instant resolvedAt, String message, int version, List<UpdateView> updates, ReviewView review, Instant asOf) {

    public record ComponentView(String service, List<String> regions, String status) {
        static List<ComponentView> of(List<Component> components) {
            return components.stream().map(c -> new ComponentView(c.service(), c.regions(), c.status().wire())).toList();
        }
    }

    public record UpdateView(UUID updateId, int version, String status, String message, List<ComponentView> components,
            Instant effectiveAt, String author, Instant postedAt) {
    }

    public record ReviewView(UUID reviewId, int reviewVersion, String rootCause, String impactSummary,
            List<String> preventativeMeasures, String author, Instant publishedAt) {
    }

    public static IncidentView of(List<Decoded> history, Instant asOf) {
        List<IncidentEvent> events = history.stream().map(Decoded::event).toList();
        Incident incident = Incident.from(events);
        List<UpdateView> updates = new ArrayList<>();
        ReviewView review = null;
        for (Decoded decoded : history) {
            if (decoded.event() instanceof UpdatePosted u) {
                updates.add(new UpdateView(u.updateId(), decoded.envelope().streamVersion(), u.status().wire(), u.message(),
                        ComponentView.of(u.components()), u.effectiveAt(), u.author(), decoded.envelope().occurredAt()));
            } else if (decoded.event() instanceof ReviewPublished r) {
                review = new ReviewView(r.reviewId(), r.reviewVersion(), r.rootCause(), r.impactSummary(),
                        r.preventativeMeasures(), r.author(), decoded.envelope().occurredAt());
            }
        }
        return new IncidentView(incident.id(), incident.title(), incident.severity().name(), incident.impact().wire(),
                incident.status().wire(), ComponentView.of(incident.components().toComponents()), incident.startedAt(),
                history.get(0).envelope().occurredAt(), incident.openedBy(), history.get(history.size() - 1).envelope().occurredAt(),
                incident.resolvedAt(), incident.lastMessage(), incident.version(), updates, review, asOf);
    }
}

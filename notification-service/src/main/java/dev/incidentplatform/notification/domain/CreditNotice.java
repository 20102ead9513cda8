package dev.incidentplatform.notification.domain;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import dev.incidentplatform.notification.domain.event.CreditIssued;

/**
 * What a credit notice tells the customer: the credit as issued, and the incidents it was issued for as this service
 * knew them when the credit arrived (credit-issued carries only their ids), in the order the event names them.
 */
public record CreditNotice(CreditIssued credit, List<CreditedIncident> incidents) {

    /**
     * One incident a credit is for.
     *
     * @param title null when this service never saw the incident open
     * @param startedAt when its impact began; null when not known
     * @param resolvedAt when its first resolving update took effect (where impact ends); null while it is not resolved
     *         or not known
     */
    public record CreditedIncident(UUID incidentId, String title, Instant startedAt, Instant resolvedAt) {

        public String shortId() {
            return IncidentNotice.shortId(incidentId);
        }
    }

    public CreditNotice {
        incidents = List.copyOf(incidents);
    }

    /** A credit of which nothing but the ids of its incidents is known. */
    public static CreditNotice withoutIncidentDetails(CreditIssued credit) {
        return new CreditNotice(credit, credit.incidentIds().stream()
                .map(id -> new CreditedIncident(id, null, null, null)).toList());
    }
}

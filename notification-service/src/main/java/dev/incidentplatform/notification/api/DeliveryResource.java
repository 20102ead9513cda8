package dev.incidentplatform.notification.api;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import dev.incidentplatform.notification.delivery.DeliveryLog;
import dev.incidentplatform.notification.subscriber.InvalidInputException;

/** The delivery log: every (event, subscriber) and what became of it. */
@Path("/api/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUBSCRIBER_ADMIN)
public class DeliveryResource {

    private final DeliveryLog log;

    public DeliveryResource(DeliveryLog log) {
        this.log = log;
    }

    @GET
    public Paging.PageOf<DeliveryLog.Entry> list(@QueryParam("incidentId") String incidentId,
            @QueryParam("subscriberId") String subscriberId, @QueryParam("status") String status,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        if (status != null && !DeliveryLog.STATUSES.contains(status)) {
            throw new InvalidInputException("Unknown delivery status.", List.of(new InvalidInputException.Problem(null, "status",
                    "must be one of " + String.join(", ", DeliveryLog.STATUSES.stream().sorted().toList()))), false);
        }
        DeliveryLog.Page found = log.list(uuid("incidentId", incidentId), uuid("subscriberId", subscriberId), status,
                paging.page(), paging.size());
        return Paging.PageOf.of(found.items(), paging, found.totalItems());
    }

    /** Deliveries per status: pending, sending, sent, failed, cancelled, coalesced (covered by another email), total. */
    @GET
    @Path("stats")
    public Map<String, Long> stats(@QueryParam("incidentId") String incidentId) {
        return log.stats(uuid("incidentId", incidentId));
    }

    /** A UUID query parameter; a malformed one is bad input (400), not a missing resource. */
    static UUID uuid(String name, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException("A query parameter is not a UUID.",
                    List.of(new InvalidInputException.Problem(null, name, "'" + value + "' is not a UUID")), false);
        }
    }
}

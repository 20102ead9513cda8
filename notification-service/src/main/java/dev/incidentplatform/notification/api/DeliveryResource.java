package dev.incidentplatform.notification.api;

import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.incidentplatform.notification.channel.Channel;
import dev.incidentplatform.notification.delivery.DeliveryLog;
import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.FieldErrors;
import io.vertx.core.http.HttpServerRequest;

/** The delivery log: every (event, recipient, channel) and what became of it. */
@Path("/api/deliveries")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUBSCRIBER_ADMIN)
@Tag(name = "Deliveries", description = "Every (event, recipient, channel) and what became of it")
public class DeliveryResource {

    /** A UUID as UUID.toString writes it (any case): UUID.fromString would also take "1-2-3-4-5". */
    private static final Pattern UUID_SYNTAX = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final String CHANNEL_PATTERN = "^" + Channel.NAME_PATTERN + "$";
    private static final Pattern CHANNEL_NAME = Pattern.compile(Channel.NAME_PATTERN);

    private final DeliveryLog log;

    public DeliveryResource(DeliveryLog log) {
        this.log = log;
    }

    @GET
    @Operation(operationId = "listDeliveries", summary = "Lists deliveries, newest first")
    @APIResponse(responseCode = "200", description = "A page of deliveries")
    @APIResponse(responseCode = "400", description = "A filter or paging parameter breaks its syntax")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<DeliveryLog.Entry> list(
            @QueryParam("incidentId") @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) String incidentId,
            @QueryParam("recipientId") @Parameter(description = "The subscriber (email) or webhook endpoint (webhook)",
                    schema = @Schema(type = SchemaType.STRING, format = "uuid")) String recipientId,
            @QueryParam("channel") @Parameter(description = "A channel name, such as email or webhook (one no delivery has:"
                    + " an empty page)", schema = @Schema(type = SchemaType.STRING, pattern = CHANNEL_PATTERN)) String channel,
            @QueryParam("status") @Parameter(schema = @Schema(enumeration = { "pending", "sending", "sent", "failed", "cancelled",
                    "coalesced" })) String status,
            @Context HttpServerRequest http) {
        Paging paging = Paging.of(http);
        FieldErrors errors = new FieldErrors();
        UUID incident = uuid(errors, "incidentId", incidentId);
        UUID recipient = uuid(errors, "recipientId", recipientId);
        if (channel != null && !channel.isEmpty() && !CHANNEL_NAME.matcher(channel).matches()) {
            errors.add("channel", "must be a channel name such as email or webhook (" + CHANNEL_PATTERN + ")");
        }
        if (status != null && !status.isEmpty() && !DeliveryLog.STATUSES.contains(status)) {
            errors.add("status", "must be one of " + String.join(", ", DeliveryLog.STATUSES));
        }
        errors.throwIfAny("A filter is not valid");
        DeliveryLog.Page found = log.list(new DeliveryLog.Filter(incident, recipient, blankAsNull(channel), blankAsNull(status)),
                paging.page(), paging.size());
        return paging.page(found.items(), found.totalItems());
    }

    @GET
    @Path("stats")
    @Operation(operationId = "getDeliveryStats", summary = "Counts deliveries per status, for one incident or all,"
            + " over every channel and per channel")
    @APIResponse(responseCode = "200", description = "Deliveries per status: pending, sending, sent, failed, cancelled,"
            + " coalesced (carried by another delivery), total; and the same per channel (channels)")
    @APIResponse(responseCode = "400", description = "incidentId is not a UUID")
    public DeliveryLog.Stats stats(
            @QueryParam("incidentId") @Parameter(schema = @Schema(type = SchemaType.STRING, format = "uuid")) String incidentId) {
        FieldErrors errors = new FieldErrors();
        UUID incident = uuid(errors, "incidentId", incidentId);
        errors.throwIfAny("A filter is not valid");
        return log.stats(incident);
    }

    private static String blankAsNull(String value) {
        return value == null || value.isEmpty() ? null : value;
    }

    /** A UUID query parameter; a malformed one is bad input (400), not a missing resource. */
    private static UUID uuid(FieldErrors errors, String name, String value) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (!UUID_SYNTAX.matcher(value).matches()) {
            errors.add(name, "must be a UUID such as 3f2c1e9a-8b7d-4c6e-9f01-23456789abcd");
            return null;
        }
        return UUID.fromString(value);
    }
}

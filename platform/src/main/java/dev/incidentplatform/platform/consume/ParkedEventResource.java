package dev.incidentplatform.platform.consume;

import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.ProblemException;
import io.quarkus.arc.properties.IfBuildProperty;
import io.vertx.core.http.HttpServerRequest;

/**
 * Events this service's consumer parked, and their replay once what made them fail is fixed: the same endpoint in
 * every service that consumes through {@link EventConsumption}, open to the role it names in
 * {@code platform.consume.admin-role} (its administrators'), replaying through its one {@link EventHandler}.
 */
@Path("/api/admin/parked-events")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed("${platform.consume.admin-role}")
@IfBuildProperty(name = "platform.consume.enabled", stringValue = "true")
@Tag(name = "Parked events", description = "Consumed events that could not be applied, and their replay")
public class ParkedEventResource {

    private final ParkedEvents parked;
    private final EventConsumption consumption;
    private final EventHandler consumer;

    public ParkedEventResource(ParkedEvents parked, EventConsumption consumption, EventHandler consumer) {
        this.parked = parked;
        this.consumption = consumption;
        this.consumer = consumer;
    }

    @GET
    @Operation(operationId = "listParkedEvents", summary = "Lists parked events, newest first")
    @APIResponse(responseCode = "200", description = "A page of parked events, replayed ones included")
    @APIResponse(responseCode = "400", description = "A paging parameter breaks its syntax")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<ParkedEvent> list(@Context HttpServerRequest http) {
        Paging paging = Paging.of(http);
        ParkedEvents.Page found = parked.page(paging.page(), paging.size());
        return paging.page(found.items(), found.totalItems());
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getParkedEvent", summary = "Reads one parked event, with its record's headers and value")
    @APIResponse(responseCode = "200", description = "The parked event")
    @APIResponse(responseCode = "404", description = "No such parked event (also for an id that is not a UUID)")
    public ParkedEvent get(@PathParam("id") UUID id) {
        return parked.find(id).orElseThrow(() -> new ProblemException(404, "There is no parked event " + id + "."));
    }

    @POST
    @Path("{id}/replay")
    @Operation(operationId = "replayParkedEvent", summary = "Applies a parked event again, as the consumer would",
            description = "Idempotent: an event a replay applied answers as it is, without being applied again (the handler"
                    + " also deduplicates by event id).")
    @APIResponse(responseCode = "200", description = "The event, replayed: applied now or by an earlier replay")
    @APIResponse(responseCode = "404", description = "No such parked event")
    @APIResponse(responseCode = "422", description = "Applying it failed again; it stays parked and the detail says why")
    public ParkedEvent replay(@PathParam("id") UUID id) {
        return consumption.replay(id, consumer);
    }
}

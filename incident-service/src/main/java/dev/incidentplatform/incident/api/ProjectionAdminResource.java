package dev.incidentplatform.incident.api;

import java.sql.SQLException;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.incidentplatform.incident.projection.ProjectionRebuilds;
import dev.incidentplatform.platform.links.PublicLinks;

/** Rebuilding the read models from the event store, with its progress. */
@Path("/api/admin/projections")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "projections", description = "Rebuilding the read models (the list and the status board) from the events")
public class ProjectionAdminResource {

    private final ProjectionRebuilds rebuilds;
    private final JsonWebToken token;

    public ProjectionAdminResource(ProjectionRebuilds rebuilds, JsonWebToken token) {
        this.rebuilds = rebuilds;
        this.token = token;
    }

    @POST
    @Path("/rebuild")
    @RolesAllowed(Roles.INCIDENT_WRITER)
    @Operation(operationId = "startProjectionRebuild", summary = "Drop and rebuild the read models", description = "202 "
            + "with the Location of its progress. Readers keep seeing the old tables until the rebuilt ones are swapped "
            + "in. 409 while one runs.")
    @APIResponse(responseCode = "202", description = "Started: the rebuild as it begins", headers = @Header(name = "Location",
            description = "/api/admin/projections/rebuilds/{id}: its progress", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProjectionRebuilds.Rebuild.class)))
    @APIResponse(responseCode = "409", description = "A rebuild is already running (Location: its progress)", headers = @Header(
            name = "Location", description = "/api/admin/projections/rebuilds/{id} of the running rebuild",
            schema = @Schema(type = SchemaType.STRING)))
    public Response rebuild() throws SQLException {
        ProjectionRebuilds.Rebuild started = rebuilds.start(token.getName());
        // A header, not Response.location(): JAX-RS would make it absolute from the Host header the client chose.
        return Response.accepted(started).header(HttpHeaders.LOCATION, rebuildLocation(started.id())).build();
    }

    @GET
    @Path("/rebuilds/{id}")
    @RolesAllowed({ Roles.INCIDENT_WRITER, Roles.INCIDENT_READER })
    @Operation(operationId = "getProjectionRebuild", summary = "A rebuild's progress: state (running, completed, failed), "
            + "processed and total events")
    @APIResponse(responseCode = "200", description = "The rebuild's progress")
    public ProjectionRebuilds.Rebuild progress(@PathParam("id") String id) throws SQLException {
        if (!Ids.isUuid(id)) {
            throw new NotFoundException();
        }
        return rebuilds.find(UUID.fromString(id)).orElseThrow(NotFoundException::new);
    }

    /** Where a rebuild's progress is read. */
    static String rebuildLocation(UUID rebuild) {
        return PublicLinks.location("api", "admin", "projections", "rebuilds", rebuild.toString());
    }
}

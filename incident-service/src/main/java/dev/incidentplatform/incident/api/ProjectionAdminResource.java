package dev.incidentplatform.incident.api;

import java.net.URI;
import java.sql.SQLException;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.incidentplatform.incident.projection.ProjectionRebuilds;

/** Rebuilding the read models from the event store, with its progress. */
@Path("/api/admin/projections")
@Produces(MediaType.APPLICATION_JSON)
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
    @Operation(summary = "Drop and rebuild the read models", description = "202 with the Location of its progress. "
            + "Readers keep seeing the old tables until the rebuilt ones are swapped in. 409 while one runs.")
    public Response rebuild() throws SQLException {
        ProjectionRebuilds.Rebuild started = rebuilds.start(token.getName());
        return Response.accepted(started).location(URI.create("/api/admin/projections/rebuilds/" + started.id())).build();
    }

    @GET
    @Path("/rebuilds/{id}")
    @RolesAllowed({ Roles.INCIDENT_WRITER, Roles.INCIDENT_READER })
    @Operation(summary = "A rebuild's progress: state (running, completed, failed), processed and total events")
    public ProjectionRebuilds.Rebuild progress(@PathParam("id") String id) throws SQLException {
        UUID rebuildId;
        try {
            rebuildId = UUID.fromString(id);
        } catch (IllegalArgumentException e) {
            throw new NotFoundException();
        }
        return rebuilds.find(rebuildId).orElseThrow(NotFoundException::new);
    }
}

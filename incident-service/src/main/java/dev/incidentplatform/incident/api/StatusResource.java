package dev.incidentplatform.incident.api;

import java.sql.SQLException;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;

import dev.incidentplatform.incident.projection.ReadModels;

/** The status board: what is not operational now, per service and region, and which incidents cause it. */
@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
public class StatusResource {

    private final ReadModels readModels;

    public StatusResource(ReadModels readModels) {
        this.readModels = readModels;
    }

    @GET
    @RolesAllowed({ Roles.INCIDENT_READER, Roles.INCIDENT_WRITER })
    @Operation(summary = "Current status per service and region", description = "Only what unresolved incidents make "
            + "other than operational; everything not listed is operational. region 'global' means every region. "
            + "Optional filter: service. Paging: page, size (1..200).")
    public Paging.PageView<ReadModels.ServiceRegionStatus> status(@QueryParam("service") String service,
            @QueryParam("page") String page, @QueryParam("size") String size, @Context UriInfo uri) throws SQLException {
        Paging paging = Paging.of(page, size);
        ReadModels.Page<ReadModels.ServiceRegionStatus> result = readModels.status(
                service == null || service.isBlank() ? null : service.strip(), paging.page(), paging.size());
        return paging.view(result.items(), result.totalItems(), uri);
    }
}

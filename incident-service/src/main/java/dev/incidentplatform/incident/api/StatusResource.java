package dev.incidentplatform.incident.api;

import java.sql.SQLException;

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

import dev.incidentplatform.incident.projection.ReadModels;
import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.FieldErrors;
import io.vertx.core.http.HttpServerRequest;

/** The status board: what is not operational now, per service and region, and which incidents cause it. */
@Path("/api/status")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "status", description = "The status board: what unresolved incidents make other than operational")
public class StatusResource {

    private final ReadModels readModels;

    public StatusResource(ReadModels readModels) {
        this.readModels = readModels;
    }

    @GET
    @RolesAllowed({ Roles.INCIDENT_READER, Roles.INCIDENT_WRITER })
    @APIResponse(responseCode = "200", description = "One page of the board, with relative links to its neighbours")
    @Operation(operationId = "getStatusBoard", summary = "Current status per service and region", description = "Only what unresolved incidents make "
            + "other than operational; everything not listed is operational. region 'global' means every region. "
            + "Optional filter: service. Paging: page (from 0), size (1.." + Paging.MAX_SIZE_TEXT + ", default "
            + Paging.DEFAULT_SIZE_TEXT + ").")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<ReadModels.ServiceRegionStatus> status(@QueryParam("service") String service,
            @Context HttpServerRequest request) throws SQLException {
        Paging paging = Paging.of(request);
        String serviceFilter = service == null || service.isBlank() ? null : service.strip();
        FieldErrors filters = new FieldErrors();
        Filters.service(filters, "service", serviceFilter);
        filters.throwIfAny("Invalid filter");
        ReadModels.Page<ReadModels.ServiceRegionStatus> result = readModels.status(serviceFilter, paging.page(), paging.size());
        return paging.page(result.items(), result.totalItems());
    }
}

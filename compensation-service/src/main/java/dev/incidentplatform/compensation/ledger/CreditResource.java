package dev.incidentplatform.compensation.ledger;

import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import dev.incidentplatform.compensation.api.Roles;
import dev.incidentplatform.platform.http.QueryParameters;
import dev.incidentplatform.platform.paging.Paging;
import io.vertx.core.http.HttpServerRequest;

/** The billing audit API over the ledger. Money is always a decimal string with its currency. */
@Path("/api/credits")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
@Tag(name = "credits", description = "The credit ledger, for billing audit")
public class CreditResource {

    private final CreditQueries queries;

    public CreditResource(CreditQueries queries) {
        this.queries = queries;
    }

    @GET
    @Operation(operationId = "listCredits", summary = "Ledger entries, filtered")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<CreditQueries.CreditView> list(@QueryParam("customerId") String customerId,
            @QueryParam("incidentId") String incidentId, @QueryParam("service") String service,
            @QueryParam("month") String month, @QueryParam("kind") String kind, @QueryParam("status") String status,
            @Context UriInfo uri, @Context HttpServerRequest request) {
        QueryParameters.onlyKnown(uri, Set.of("customerId", "incidentId", "service", "month", "kind", "status", "page", "size"));
        Paging paging = Paging.of(request);
        return queries.list(CreditFilter.parse(customerId, incidentId, service, month, kind, status), paging);
    }

    @GET
    @Path("/{creditId}")
    @Operation(operationId = "getCredit", summary = "One ledger entry with the explanation of its amount")
    @APIResponse(responseCode = "200", description = "The entry and how it was computed", content = @Content(
            mediaType = "application/json", schema = @Schema(implementation = CreditQueries.Explained.class)))
    public CreditQueries.Explained get(@PathParam("creditId") UUID creditId) {
        return queries.get(creditId).orElseThrow(NotFoundException::new);
    }

    @GET
    @Path("/summary")
    @Operation(operationId = "summarizeCredits", summary = "Totals per currency, service and incident")
    @APIResponse(responseCode = "200", description = "The totals", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = CreditQueries.Summary.class)))
    public CreditQueries.Summary summary(@QueryParam("month") String month, @QueryParam("incidentId") String incidentId,
            @QueryParam("service") String service, @QueryParam("customerId") String customerId, @Context UriInfo uri) {
        QueryParameters.onlyKnown(uri, Set.of("month", "incidentId", "service", "customerId"));
        return queries.summary(CreditFilter.parse(customerId, incidentId, service, month, null, null));
    }

    @GET
    @Path("/export")
    @Produces("text/csv")
    @Operation(operationId = "exportCredits", summary = "Ledger entries as CSV, safe to open in a spreadsheet")
    @APIResponse(responseCode = "200", description = "RFC 4180 CSV, every cell quoted; a cell that starts with =, +, -, @,"
            + " tab or CR is prefixed with ' so that a spreadsheet shows it as text",
            headers = @Header(name = "Content-Disposition", description = "attachment; filename=\"credits[-month].csv\"",
                    schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)))
    public Response export(@QueryParam("month") String month, @QueryParam("incidentId") String incidentId,
            @QueryParam("service") String service, @QueryParam("customerId") String customerId, @Context UriInfo uri) {
        QueryParameters.onlyKnown(uri, Set.of("month", "incidentId", "service", "customerId"));
        CreditFilter filter = CreditFilter.parse(customerId, incidentId, service, month, null, null);
        StreamingOutput body = out -> queries.export(filter, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"credits" + (month == null ? "" : "-" + month) + ".csv\"")
                .build();
    }
}

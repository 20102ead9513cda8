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

import dev.incidentplatform.compensation.api.Paging;
import dev.incidentplatform.compensation.api.Roles;

/** The billing audit API over the ledger. Money is always a decimal string with its currency. */
@Path("/api/credits")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
public class CreditResource {

    private final CreditQueries queries;

    public CreditResource(CreditQueries queries) {
        this.queries = queries;
    }

    @GET
    public Paging.Page<CreditQueries.CreditView> list(@QueryParam("customerId") String customerId,
            @QueryParam("incidentId") String incidentId, @QueryParam("service") String service,
            @QueryParam("month") String month, @QueryParam("kind") String kind, @QueryParam("status") String status,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size, @Context UriInfo uri) {
        Paging.onlyKnownParameters(uri, Set.of("customerId", "incidentId", "service", "month", "kind", "status", "page", "size"));
        Paging paging = Paging.of(page, size);
        return queries.list(CreditFilter.parse(customerId, incidentId, service, month, kind, status), paging);
    }

    @GET
    @Path("/{creditId}")
    public CreditQueries.Explained get(@PathParam("creditId") UUID creditId) {
        return queries.get(creditId).orElseThrow(NotFoundException::new);
    }

    @GET
    @Path("/summary")
    public CreditQueries.Summary summary(@QueryParam("month") String month, @QueryParam("incidentId") String incidentId,
            @QueryParam("service") String service, @QueryParam("customerId") String customerId, @Context UriInfo uri) {
        Paging.onlyKnownParameters(uri, Set.of("month", "incidentId", "service", "customerId"));
        return queries.summary(CreditFilter.parse(customerId, incidentId, service, month, null, null));
    }

    @GET
    @Path("/export")
    @Produces("text/csv")
    public Response export(@QueryParam("month") String month, @QueryParam("incidentId") String incidentId,
            @QueryParam("service") String service, @QueryParam("customerId") String customerId, @Context UriInfo uri) {
        Paging.onlyKnownParameters(uri, Set.of("month", "incidentId", "service", "customerId"));
        CreditFilter filter = CreditFilter.parse(customerId, incidentId, service, month, null, null);
        StreamingOutput body = out -> queries.export(filter, out);
        return Response.ok(body, "text/csv; charset=UTF-8")
                .header("Content-Disposition", "attachment; filename=\"credits" + (month == null ? "" : "-" + month) + ".csv\"")
                .build();
    }
}

package dev.incidentplatform.notification.api;

import java.io.InputStream;
import java.net.URI;
import java.util.List;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;

import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.notification.subscriber.InvalidInputException;
import dev.incidentplatform.notification.subscriber.Subscriber;
import dev.incidentplatform.notification.subscriber.SubscriberImport;
import dev.incidentplatform.notification.subscriber.SubscriberNotFoundException;
import dev.incidentplatform.notification.subscriber.SubscriberStore;
import dev.incidentplatform.platform.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;

/** Subscribers: who receives notices about which services and regions. */
@Path("/api/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUBSCRIBER_ADMIN)
public class SubscriberResource {

    static final String CSV = "text/csv";

    private final SubscriberStore store;
    private final SubscriberImport importer;
    private final SecurityIdentity identity;

    public SubscriberResource(SubscriberStore store, SubscriberImport importer, SecurityIdentity identity) {
        this.store = store;
        this.importer = importer;
        this.identity = identity;
    }

    /** A subscriber as clients send it: empty (or absent) services/regions mean "all". */
    public record SubscriberRequest(String email, String name, String customerId, List<String> services, List<String> regions) {

        SubscriberDraft draft() {
            return new SubscriberDraft(email, name, customerId, services, regions);
        }
    }

    public record ImportResult(int imported) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(SubscriberRequest request, @jakarta.ws.rs.core.Context UriInfo uri) {
        Subscriber created = store.create(required(request).draft(), actor());
        return Response.created(URI.create(uri.getPath() + "/" + created.id())).tag(etag(created)).entity(created).build();
    }

    @GET
    @Path("{id}")
    public Response get(@PathParam("id") UUID id) {
        Subscriber subscriber = store.find(id).orElseThrow(() -> new SubscriberNotFoundException(id));
        return Response.ok(subscriber).tag(etag(subscriber)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Response update(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            SubscriberRequest request) {
        Subscriber updated = store.update(id, required(request).draft(), version(ifMatch), actor());
        return Response.ok(updated).tag(etag(updated)).build();
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch) {
        store.delete(id, version(ifMatch));
        return Response.noContent().build();
    }

    @GET
    public Paging.PageOf<Subscriber> list(@QueryParam("email") String email, @QueryParam("customerId") String customerId,
            @QueryParam("service") String service, @QueryParam("region") String region,
            @QueryParam("status") String status, @QueryParam("page") Integer page, @QueryParam("size") Integer size) {
        Paging paging = Paging.of(page, size);
        Boolean unsubscribed = switch (status == null ? "" : status) {
            case "" -> null;
            case "active" -> false;
            case "unsubscribed" -> true;
            default -> throw new InvalidInputException("Unknown status filter.",
                    List.of(new InvalidInputException.Problem(null, "status", "must be 'active' or 'unsubscribed'")), false);
        };
        SubscriberStore.Page found = store.list(new SubscriberStore.Filter(blankToNull(email), blankToNull(customerId),
                blankToNull(service), blankToNull(region), unsubscribed), paging.page(), paging.size());
        return Paging.PageOf.of(found.items(), paging, found.totalItems());
    }

    /**
     * Imports a CSV file ({@code email,name,customerId,services,regions}, lists ';'-separated) in one transaction: all
     * lines or none. Accepts any declared type so that authentication is checked first, then insists on text/csv.
     */
    @POST
    @Path("import")
    @RequestBody(content = @Content(mediaType = CSV))
    public ImportResult importCsv(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType, InputStream body) {
        if (contentType == null || !MediaType.valueOf(contentType).isCompatible(MediaType.valueOf(CSV))) {
            throw new ProblemException(415, "Send the file as text/csv (Content-Type: text/csv).");
        }
        return new ImportResult(importer.importCsv(body, actor()));
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static SubscriberRequest required(SubscriberRequest request) {
        if (request == null) {
            throw new InvalidInputException("Send the subscriber as a JSON body.",
                    List.of(new InvalidInputException.Problem(null, "body", "is missing")), false);
        }
        return request;
    }

    private static EntityTag etag(Subscriber subscriber) {
        return new EntityTag(Long.toString(subscriber.version()));
    }

    /** {@code If-Match: "3"} → 3; absent → no check. */
    private static Long version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            return null;
        }
        String tag = ifMatch.strip();
        if (tag.startsWith("W/")) {
            tag = tag.substring(2);
        }
        tag = tag.replace("\"", "");
        try {
            return Long.parseLong(tag);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("If-Match must carry the ETag of a GET, e.g. \"3\".",
                    List.of(new InvalidInputException.Problem(null, "If-Match", "'" + ifMatch + "' is not a version")), false);
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}

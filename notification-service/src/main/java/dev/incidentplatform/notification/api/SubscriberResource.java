package dev.incidentplatform.notification.api;

import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

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
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

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

import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.notification.subscriber.InvalidInputException;
import dev.incidentplatform.notification.subscriber.Subscriber;
import dev.incidentplatform.notification.subscriber.SubscriberImport;
import dev.incidentplatform.notification.subscriber.SubscriberNotFoundException;
import dev.incidentplatform.notification.subscriber.SubscriberStore;
import dev.incidentplatform.platform.links.PublicLinks;
import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.FieldErrors;
import dev.incidentplatform.platform.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** Subscribers: who receives notices about which services and regions. */
@Path("/api/subscribers")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUBSCRIBER_ADMIN)
@Tag(name = "Subscribers", description = "Who receives notices about which services and regions")
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
    @Schema(name = "SubscriberRequest", description = "A subscriber as a client sends it")
    public record SubscriberRequest(
            @Schema(required = true, maxLength = SubscriberDraft.MAX_EMAIL, description = "Unique regardless of case")
            String email,
            @Schema(nullable = true, maxLength = SubscriberDraft.MAX_NAME) String name,
            @Schema(nullable = true, pattern = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$") String customerId,
            @Schema(nullable = true, maxItems = SubscriberDraft.MAX_FILTER_ENTRIES,
                    description = "Service ids to follow; empty or absent: every service") List<String> services,
            @Schema(nullable = true, maxItems = SubscriberDraft.MAX_FILTER_ENTRIES,
                    description = "Region ids to follow (not 'global'); empty or absent: every region") List<String> regions,
            @Schema(nullable = true, enumeration = { "en", "de" }, examples = "de",
                    description = "The language notices are written in; absent: English. Another value is 422.")
            String locale,
            @Schema(nullable = true, maxLength = 64, examples = "Europe/Berlin",
                    description = "The IANA time zone notices write dates in (a region id, not an offset); absent: UTC."
                            + " A zone the time-zone database does not know is 422.") String timeZone) {

        SubscriberDraft draft() {
            return new SubscriberDraft(email, name, customerId, services, regions, locale, timeZone);
        }
    }

    @Schema(name = "ImportResult")
    public record ImportResult(@Schema(required = true) int imported) {
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createSubscriber", summary = "Adds a subscriber")
    @APIResponse(responseCode = "201", description = "Created",
            headers = { @Header(name = HttpHeaders.LOCATION, description = "The new subscriber's path (a relative reference)",
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.ETAG, description = "Its version, for If-Match", schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Subscriber.class)))
    @APIResponse(responseCode = "400", description = "A field breaks its rule; errors names each")
    @APIResponse(responseCode = "409", description = "A subscriber with this address (regardless of case) exists")
    @APIResponse(responseCode = "422", description = "Only locale or timeZone is at fault: a language or zone notices"
            + " cannot be written in; errors names each")
    public Response create(SubscriberRequest request) {
        Subscriber created = store.create(required(request).draft(), actor());
        return Response.status(Response.Status.CREATED).header(HttpHeaders.LOCATION,
                PublicLinks.location("api", "subscribers", created.id().toString()))
                .tag(etag(created)).entity(created).build();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getSubscriber", summary = "Reads one subscriber")
    @APIResponse(responseCode = "200", description = "The subscriber",
            headers = @Header(name = HttpHeaders.ETAG, description = "Its version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Subscriber.class)))
    @APIResponse(responseCode = "404", description = "No such subscriber (also for an id that is not a UUID)")
    public Response get(@PathParam("id") UUID id) {
        Subscriber subscriber = store.find(id).orElseThrow(() -> new SubscriberNotFoundException(id));
        return Response.ok(subscriber).tag(etag(subscriber)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateSubscriber", summary = "Replaces a subscriber's fields")
    @APIResponse(responseCode = "200", description = "The subscriber as it is now",
            headers = @Header(name = HttpHeaders.ETAG, description = "Its new version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Subscriber.class)))
    @APIResponse(responseCode = "400", description = "A field or If-Match breaks its rule")
    @APIResponse(responseCode = "404", description = "No such subscriber")
    @APIResponse(responseCode = "409", description = "Another subscriber has this address")
    @APIResponse(responseCode = "412", description = "If-Match names a version the subscriber no longer has")
    @APIResponse(responseCode = "422", description = "Only locale or timeZone is at fault: a language or zone notices"
            + " cannot be written in; errors names each")
    public Response update(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(
            description = "The ETag of a GET (\"3\"): the change applies only to that version") String ifMatch,
            SubscriberRequest request) {
        Long version = VersionTags.fromIfMatch(ifMatch);
        Subscriber updated = store.update(id, required(request).draft(), version, actor());
        return Response.ok(updated).tag(etag(updated)).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteSubscriber", summary = "Removes a subscriber and cancels what still waits for them")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "If-Match breaks its rule")
    @APIResponse(responseCode = "404", description = "No such subscriber")
    @APIResponse(responseCode = "412", description = "If-Match names a version the subscriber no longer has")
    public Response delete(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(
            description = "The ETag of a GET (\"3\"): deletes only that version") String ifMatch) {
        store.delete(id, VersionTags.fromIfMatch(ifMatch));
        return Response.noContent().build();
    }

    @GET
    @Operation(operationId = "listSubscribers", summary = "Lists subscribers, oldest first")
    @APIResponse(responseCode = "200", description = "A page of subscribers")
    @APIResponse(responseCode = "400", description = "A filter or paging parameter breaks its syntax")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<Subscriber> list(
            @QueryParam("email") @Parameter(description = "An address (regardless of case)") String email,
            @QueryParam("customerId") String customerId,
            @QueryParam("service") @Parameter(description = "Who would hear about this service") String service,
            @QueryParam("region") @Parameter(description = "Who would hear about this region") String region,
            @QueryParam("status") @Parameter(schema = @Schema(enumeration = { "active", "unsubscribed" })) String status,
            @Context HttpServerRequest http) {
        Paging paging = Paging.of(http);
        FieldErrors errors = new FieldErrors();
        String emailFilter = filter(errors, "email", email, SubscriberDraft::emailViolation);
        String customerFilter = filter(errors, "customerId", customerId,
                value -> SubscriberDraft.CUSTOMER_ID.matcher(value).matches() ? null : SubscriberDraft.CUSTOMER_ID_RULE);
        String serviceFilter = filter(errors, "service", service,
                value -> SubscriberDraft.SERVICE.matcher(value).matches() ? null : SubscriberDraft.SERVICE_RULE);
        // 'global' is a region value too: who follows every region would hear about a global incident.
        String regionFilter = filter(errors, "region", region,
                value -> SubscriberDraft.REGION.matcher(value).matches() ? null : SubscriberDraft.REGION_RULE);
        Boolean unsubscribed = switch (status == null ? "" : status) {
            case "" -> null;
            case "active" -> false;
            case "unsubscribed" -> true;
            default -> {
                errors.add("status", "must be 'active' or 'unsubscribed'");
                yield null;
            }
        };
        errors.throwIfAny("A filter is not valid");
        SubscriberStore.Page found = store.list(new SubscriberStore.Filter(emailFilter, customerFilter, serviceFilter,
                regionFilter, unsubscribed), paging.page(), paging.size());
        return paging.page(found.items(), found.totalItems());
    }

    /**
     * Imports a CSV file ({@code email,name,customerId,services,regions}, optionally {@code locale,timeZone}; lists
     * ';'-separated) in one transaction: all lines or none. Accepts any declared type so that authentication is checked
     * first, then insists on text/csv.
     */
    @POST
    @Path("import")
    @Operation(operationId = "importSubscribers", summary = "Adds every subscriber of a CSV file, or none",
            description = "UTF-8 CSV (RFC 4180) with the header email,name,customerId,services,regions (lists ';'-separated),"
                    + " optionally with the columns locale (en or de; empty: en) and timeZone (an IANA zone id; empty: UTC);"
                    + " a byte order mark at the start is accepted. At most notification.import.max-rows lines; errors lists"
                    + " the first 100 bad lines, errorCount all of them.")
    @RequestBody(required = true, content = @Content(mediaType = CSV,
            schema = @Schema(type = SchemaType.STRING, description = "The CSV file")))
    @APIResponse(responseCode = "200", description = "Every line was imported",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ImportResult.class)))
    @APIResponse(responseCode = "400", description = "Bad lines (the first 100 in errors, with their line; errorCount all)")
    @APIResponse(responseCode = "409", description = "The file is fine but some addresses are already subscribed")
    @APIResponse(responseCode = "413", description = "The file is larger than the body limit or has too many lines")
    @APIResponse(responseCode = "422", description = "The file is fine but some lines name a language or time zone"
            + " notices cannot be written in (errors lists them)")
    @APIResponse(responseCode = "415", description = "The body is not text/csv (UTF-8)")
    public ImportResult importCsv(@HeaderParam(HttpHeaders.CONTENT_TYPE) @Parameter(hidden = true) String contentType,
            InputStream body) {
        requireCsv(contentType);
        return new ImportResult(importer.importCsv(body, actor()));
    }

    /** text/csv exactly (any case), with no charset or charset=utf-8; text/csvx, text/* or none is 415. */
    private static void requireCsv(String contentType) {
        MediaType type = null;
        if (contentType != null) {
            try {
                type = MediaType.valueOf(contentType);
            } catch (IllegalArgumentException e) {
                type = null;
            }
        }
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        boolean csv = type != null && "text".equalsIgnoreCase(type.getType()) && "csv".equalsIgnoreCase(type.getSubtype())
                && (charset == null || charset.replace("\"", "").equalsIgnoreCase("utf-8"));
        if (!csv) {
            throw new ProblemException(415, "Send the file as UTF-8 text/csv (Content-Type: text/csv); nothing was imported.");
        }
    }

    private String actor() {
        return identity.getPrincipal().getName();
    }

    private static String filter(FieldErrors errors, String name, String value, Function<String, String> violation) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        String broken = violation.apply(value);
        if (broken != null) {
            errors.add(name, broken);
            return null;
        }
        return value;
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
}

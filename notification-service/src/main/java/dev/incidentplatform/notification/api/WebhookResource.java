package dev.incidentplatform.notification.api;

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
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.notification.domain.WebhookDraft;
import dev.incidentplatform.notification.webhook.Webhook;
import dev.incidentplatform.notification.webhook.WebhookEndpoints;
import dev.incidentplatform.notification.webhook.WebhookNotFoundException;
import dev.incidentplatform.notification.webhook.WebhookStore;
import dev.incidentplatform.notification.webhook.WebhookWithSecret;
import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.FieldErrors;
import dev.incidentplatform.platform.problem.ProblemException;

import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** Webhook endpoints: URLs that receive signed notices about the services and regions they follow. */
@Path("/api/webhooks")
@Produces(MediaType.APPLICATION_JSON)
@RolesAllowed(Roles.SUBSCRIBER_ADMIN)
@Tag(name = "Webhooks", description = "Endpoints that receive signed notices (CloudEvents JSON, Slack, Microsoft Teams)")
public class WebhookResource {

    private static final String IDEMPOTENCY_KEY_DESCRIPTION = "1 to 255 visible ASCII characters; a repeated request with"
            + " the same key gets the first answer (with the same secret)";
    private static final String CREATE_EXAMPLE = """
            {"url": "https://hooks.slack.com/services/T000/B000/XXXX", "format": "slack", "services": ["object-storage"],
             "regions": ["eu-west"], "customerId": null, "contact": "oncall@customer.example"}""";

    private final WebhookEndpoints endpoints;
    private final WebhookStore store;
    private final SecurityIdentity identity;

    public WebhookResource(WebhookEndpoints endpoints, WebhookStore store, SecurityIdentity identity) {
        this.endpoints = endpoints;
        this.store = store;
        this.identity = identity;
    }

    /** An endpoint as clients send it; on a change, an absent {@code enabled} leaves it as it is. */
    @Schema(name = "WebhookRequest", description = "A webhook endpoint as a client sends it")
    public record WebhookRequest(
            @Schema(required = true, maxLength = WebhookDraft.MAX_URL, description = "An absolute https URL without user"
                    + " name, password or fragment, whose host resolves to public addresses only (http and other addresses"
                    + " only where notification.webhooks.allow-hosts permits)", example = "https://hooks.example.com/status")
            String url,
            @Schema(required = true, enumeration = { "generic", "slack", "teams" }) String format,
            @Schema(nullable = true, maxItems = SubscriberDraft.MAX_FILTER_ENTRIES,
                    description = "Service ids to follow; empty or absent: every service") List<String> services,
            @Schema(nullable = true, maxItems = SubscriberDraft.MAX_FILTER_ENTRIES,
                    description = "Region ids to follow (not 'global'); empty or absent: every region") List<String> regions,
            @Schema(nullable = true, pattern = "^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$",
                    description = "Also receive this customer's credit notices") String customerId,
            @Schema(nullable = true, maxLength = SubscriberDraft.MAX_EMAIL,
                    description = "An address mailed once when the endpoint is disabled for failing") String contact,
            @Schema(nullable = true, description = "true re-enables a disabled endpoint (and clears its failures), false"
                    + " disables it; absent: enabled on creation, unchanged on a change") Boolean enabled) {

        WebhookDraft draft() {
            return new WebhookDraft(url, format, services, regions, customerId, contact, enabled);
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "createWebhook", summary = "Adds a webhook endpoint and returns its signing secret, once")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookRequest.class),
            examples = @ExampleObject(name = "slack", value = CREATE_EXAMPLE)))
    @APIResponse(responseCode = "201", description = "Created; the secret is in this answer only",
            headers = { @Header(name = HttpHeaders.LOCATION, description = "The new endpoint's path (a relative reference)",
                    schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = HttpHeaders.ETAG, description = "Its version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = RequestHeaders.IDEMPOTENT_REPLAYED, description = "true when this is the stored answer to a"
                            + " repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookWithSecret.class)))
    @APIResponse(responseCode = "400", description = "A field breaks its rule; errors names each")
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key was answered first, at the same time; send it again")
    @APIResponse(responseCode = "422", description = "The URL may not be called (plain http, a host that does not resolve or"
            + " resolves to an address that is not public), or the Idempotency-Key was used for another request")
    public Response create(@HeaderParam(RequestHeaders.IDEMPOTENCY_KEY) @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION,
            schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$")) String idempotencyKey,
            WebhookRequest request) {
        WebhookRequest body = required(request);
        return endpoints.create(body.draft(), endpoints.caller(actor(), idempotencyKey, "/api/webhooks", body)).toResponse();
    }

    @GET
    @Path("{id}")
    @Operation(operationId = "getWebhook", summary = "Reads one webhook endpoint (never its secret)")
    @APIResponse(responseCode = "200", description = "The endpoint",
            headers = @Header(name = HttpHeaders.ETAG, description = "Its version, for If-Match", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Webhook.class)))
    @APIResponse(responseCode = "404", description = "No such endpoint (also for an id that is not a UUID)")
    public Response get(@PathParam("id") UUID id) {
        Webhook webhook = store.find(id).orElseThrow(() -> new WebhookNotFoundException(id));
        return Response.ok(webhook).tag(etag(webhook)).build();
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(operationId = "updateWebhook", summary = "Replaces an endpoint's settings; enabled: true re-enables it")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = WebhookRequest.class),
            examples = @ExampleObject(name = "re-enable", value = """
                    {"url": "https://hooks.example.com/status", "format": "generic", "services": [], "regions": [],
                     "enabled": true}""")))
    @APIResponse(responseCode = "200", description = "The endpoint as it is now",
            headers = @Header(name = HttpHeaders.ETAG, description = "Its new version", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Webhook.class)))
    @APIResponse(responseCode = "400", description = "A field or If-Match breaks its rule")
    @APIResponse(responseCode = "404", description = "No such endpoint")
    @APIResponse(responseCode = "412", description = "If-Match names a version the endpoint no longer has")
    @APIResponse(responseCode = "422", description = "The URL may not be called (plain http, an address that is not public)")
    public Response update(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(
            description = "The ETag of a GET (\"3\"): the change applies only to that version") String ifMatch,
            WebhookRequest request) {
        Long version = VersionTags.fromIfMatch(ifMatch);
        Webhook updated = endpoints.update(id, required(request).draft(), version, actor());
        return Response.ok(updated).tag(etag(updated)).build();
    }

    @DELETE
    @Path("{id}")
    @Operation(operationId = "deleteWebhook", summary = "Removes an endpoint; what still waits for it is cancelled")
    @APIResponse(responseCode = "204", description = "Deleted")
    @APIResponse(responseCode = "400", description = "If-Match breaks its rule")
    @APIResponse(responseCode = "404", description = "No such endpoint")
    @APIResponse(responseCode = "412", description = "If-Match names a version the endpoint no longer has")
    public Response delete(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(
            description = "The ETag of a GET (\"3\"): deletes only that version") String ifMatch) {
        endpoints.delete(id, VersionTags.fromIfMatch(ifMatch));
        return Response.noContent().build();
    }

    @POST
    @Path("{id}/secret")
    @Operation(operationId = "rotateWebhookSecret", summary = "Gives the endpoint a new signing secret, returned once",
            description = "The previous secret keeps signing too (webhook-signature carries both) for"
                    + " notification.webhooks.previous-secret-validity (24 h by default), so receivers can switch over.")
    @APIResponse(responseCode = "200", description = "The endpoint and its new secret, in this answer only",
            headers = { @Header(name = HttpHeaders.ETAG, description = "Its new version", schema = @Schema(type = SchemaType.STRING)),
                    @Header(name = RequestHeaders.IDEMPOTENT_REPLAYED, description = "true when this is the stored answer to a"
                            + " repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WebhookWithSecret.class)))
    @APIResponse(responseCode = "400", description = "If-Match or Idempotency-Key breaks its rule")
    @APIResponse(responseCode = "404", description = "No such endpoint")
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key was answered first, at the same time; send it again")
    @APIResponse(responseCode = "412", description = "If-Match names a version the endpoint no longer has")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used before for another request")
    public Response rotate(@PathParam("id") UUID id, @HeaderParam(HttpHeaders.IF_MATCH) @Parameter(
            description = "The ETag of a GET (\"3\"): rotates only that version") String ifMatch,
            @HeaderParam(RequestHeaders.IDEMPOTENCY_KEY) @Parameter(description = IDEMPOTENCY_KEY_DESCRIPTION,
                    schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$")) String idempotencyKey) {
        Long version = VersionTags.fromIfMatch(ifMatch);
        return endpoints.rotate(id, version, endpoints.caller(actor(), idempotencyKey, "/api/webhooks/" + id + "/secret",
                version)).toResponse();
    }

    @GET
    @Operation(operationId = "listWebhooks", summary = "Lists webhook endpoints, oldest first (never their secrets)")
    @APIResponse(responseCode = "200", description = "A page of endpoints")
    @APIResponse(responseCode = "400", description = "A filter or paging parameter breaks its syntax")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<Webhook> list(
            @QueryParam("customerId") String customerId,
            @QueryParam("service") @Parameter(description = "Endpoints that would hear about this service") String service,
            @QueryParam("region") @Parameter(description = "Endpoints that would hear about this region") String region,
            @QueryParam("status") @Parameter(schema = @Schema(enumeration = { "enabled", "disabled" })) String status,
            @Context HttpServerRequest http) {
        Paging paging = Paging.of(http);
        FieldErrors errors = new FieldErrors();
        String customerFilter = filter(errors, "customerId", customerId,
                value -> SubscriberDraft.CUSTOMER_ID.matcher(value).matches() ? null : SubscriberDraft.CUSTOMER_ID_RULE);
        String serviceFilter = filter(errors, "service", service,
                value -> SubscriberDraft.SERVICE.matcher(value).matches() ? null : SubscriberDraft.SERVICE_RULE);
        String regionFilter = filter(errors, "region", region,
                value -> SubscriberDraft.REGION.matcher(value).matches() ? null : SubscriberDraft.REGION_RULE);
        Boolean enabled = switch (status == null ? "" : status) {
            case "" -> null;
            case "enabled" -> true;
            case "disabled" -> false;
            default -> {
                errors.add("status", "must be 'enabled' or 'disabled'");
                yield null;
            }
        };
        errors.throwIfAny("A filter is not valid");
        WebhookStore.Page found = store.list(new WebhookStore.Filter(customerFilter, serviceFilter, regionFilter, enabled),
                paging.page(), paging.size());
        return paging.page(found.items(), found.totalItems());
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

    private static WebhookRequest required(WebhookRequest request) {
        if (request == null) {
            throw ProblemException.field("body", "is missing: send the webhook as a JSON object");
        }
        return request;
    }

    private static EntityTag etag(Webhook webhook) {
        return new EntityTag(Long.toString(webhook.version()));
    }
}

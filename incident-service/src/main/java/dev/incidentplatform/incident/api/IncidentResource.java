package dev.incidentplatform.incident.api;

import java.net.URI;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
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

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.domain.IncidentCommand.OpenIncident;
import dev.incidentplatform.incident.domain.IncidentCommand.PostUpdate;
import dev.incidentplatform.incident.domain.IncidentCommand.PublishReview;
import dev.incidentplatform.incident.domain.IncidentStatus;
import dev.incidentplatform.incident.domain.Severity;
import dev.incidentplatform.incident.domain.Violation;
import dev.incidentplatform.incident.events.EventCodec.Decoded;
import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.projection.ReadModels;
import dev.incidentplatform.incident.service.CommandFailure.IncidentNotFound;
import dev.incidentplatform.incident.service.CommandResponse;
import dev.incidentplatform.incident.service.IncidentCommands;
import dev.incidentplatform.incident.service.IncidentView;
import dev.incidentplatform.incident.service.RequestContext;
import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.problem.FieldErrors;
import io.vertx.core.http.HttpServerRequest;

/**
 * Incidents: commands append to the event store; {@code GET /{id}}, {@code ?asOf=} and {@code /events} read the event
 * store itself (always current); the list reads the incident_summary projection.
 */
@Path("/api/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "incidents", description = "Opening incidents, posting updates and reviews, reading them and their events")
public class IncidentResource {

    private static final String STATUSES = "investigating, identified, monitoring, resolved";
    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

    private final IncidentCommands commands;
    private final EventStore store;
    private final DataSource dataSource;
    private final ReadModels readModels;
    private final RequestContexts contexts;
    private final ObjectMapper json;

    public IncidentResource(IncidentCommands commands, EventStore store, DataSource dataSource, ReadModels readModels,
            RequestContexts contexts, ObjectMapper json) {
        this.commands = commands;
        this.store = store;
        this.dataSource = dataSource;
        this.readModels = readModels;
        this.contexts = contexts;
        this.json = json;
    }

    // ---- requests, as the OpenAPI document shows them (bodies are read field by field by RequestReader) ----------

    public record ComponentRequest(String service, List<String> regions,
            @Schema(enumeration = { "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance" }) String status) {
    }

    public record OpenIncidentRequest(@Schema(required = true, maxLength = 200) String title,
            @Schema(required = true, enumeration = { "SEV1", "SEV2", "SEV3", "SEV4" }) String severity,
            @Schema(enumeration = { "investigating", "identified", "monitoring" }) String status,
            @Schema(required = true, maxLength = 10000) String message,
            @Schema(description = "ISO-8601 UTC; default now; may lie in the past") String startedAt,
            @Schema(required = true, minItems = 1, maxItems = 100) List<ComponentRequest> components) {
    }

    public record PostUpdateRequest(@Schema(required = true, enumeration = { "investigating", "identified", "monitoring", "resolved" }) String status,
            @Schema(required = true, maxLength = 10000) String message,
            @Schema(description = "Components whose status changes; the others keep theirs") List<ComponentRequest> components,
            @Schema(description = "ISO-8601 UTC; default now; not before the previous update's") String effectiveAt) {
    }

    public record PublishReviewRequest(@Schema(required = true) String rootCause, @Schema(required = true) String impactSummary,
            List<String> preventativeMeasures,
            @Schema(description = "To correct a published review: the version it corrects") Integer correctsVersion) {
    }

    // ---- commands -----------------------------------------------------------------------------------------------

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_WRITER)
    @Operation(operationId = "openIncident", summary = "Open an incident", description = "201 with Location and ETag \"1\". "
            + "Idempotency-Key makes retries safe.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = OpenIncidentRequest.class)))
    @Parameter(name = RequestHeaders.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = "Makes a retry safe: the same "
            + "key and body answer as the first time (Idempotent-Replayed: true) and append nothing; visible ASCII, 1 to 255",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255, pattern = "^[\\x21-\\x7E]+$"))
    @APIResponse(responseCode = "201", description = "Opened: the incident as recorded", headers = {
            @Header(name = HttpHeaders.LOCATION, description = "/api/incidents/{id}", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.ETAG, description = "The incident's version after the command, quoted: \"2\"", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = RequestHeaders.IDEMPOTENT_REPLAYED, description = "true when this is the stored answer to an earlier request with the same Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "409", description = "Another request with the same Idempotency-Key was being decided at the same time; retry")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was already used for a different request")
    public Response open(byte[] body, @jakarta.ws.rs.core.Context HttpHeaders headers, @jakarta.ws.rs.core.Context UriInfo uri) {
        RequestReader request = RequestReader.of(headers, body, Set.of("title", "severity", "status", "message", "startedAt", "components"));
        RequestContext context = context(headers, request, "POST", uri);
        OpenIncident command = new OpenIncident(UUID.randomUUID(), request.text("title"),
                request.choice("severity", Severity::parse, "SEV1, SEV2, SEV3, SEV4"),
                request.choice("status", IncidentStatus::parse, STATUSES), request.text("message"),
                request.instant("startedAt"), request.components("components"), context.actor());
        return respond(commands.open(command, request.violations(), context));
    }

    @POST
    @Path("/{id}/updates")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_WRITER)
    @Operation(operationId = "postIncidentUpdate", summary = "Post a status update", description = "Listed components "
            + "take the new status, the others keep theirs. If-Match (optional): a stale version gives 412; a concurrent "
            + "update that wins gives 409.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PostUpdateRequest.class)))
    @Parameter(name = RequestHeaders.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = "Makes a retry safe: the same "
            + "key and body answer as the first time (Idempotent-Replayed: true) and append nothing; visible ASCII, 1 to 255",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255, pattern = "^[\\x21-\\x7E]+$"))
    @APIResponse(responseCode = "201", description = "Posted: the incident after the update", headers = {
            @Header(name = HttpHeaders.LOCATION, description = "/api/incidents/{id}/events/{version}: the update's event", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.ETAG, description = "The incident's version after the command, quoted: \"2\"", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = RequestHeaders.IDEMPOTENT_REPLAYED, description = "true when this is the stored answer to an earlier request with the same Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "409", description = "The incident is resolved, or another update was appended meanwhile")
    @APIResponse(responseCode = "412", description = "If-Match names a version that is not the current one")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was already used for a different request")
    public Response postUpdate(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, byte[] body,
            @jakarta.ws.rs.core.Context HttpHeaders headers, @jakarta.ws.rs.core.Context UriInfo uri) {
        UUID incidentId = incidentId(id);
        RequestReader request = RequestReader.of(headers, body, Set.of("status", "message", "components", "effectiveAt"));
        IncidentStatus status = request.choice("status", IncidentStatus::parse, STATUSES);
        String message = request.text("message");
        var components = request.components("components");
        Instant effectiveAt = request.instant("effectiveAt");
        RequestContext context = context(headers, request, "POST", uri);
        PostUpdate command = new PostUpdate(UUID.randomUUID(), status, message, components, effectiveAt, context.actor());
        return respond(commands.postUpdate(incidentId, ifMatch, command, request.violations(), context));
    }

    @POST
    @Path("/{id}/review")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.INCIDENT_WRITER)
    @Operation(operationId = "publishIncidentReview", summary = "Publish the post-incident review", description = "Only "
            + "once resolved. To correct a published review send correctsVersion (its current reviewVersion): the "
            + "correction is the next version.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PublishReviewRequest.class)))
    @Parameter(name = RequestHeaders.IDEMPOTENCY_KEY, in = ParameterIn.HEADER, description = "Makes a retry safe: the same "
            + "key and body answer as the first time (Idempotent-Replayed: true) and append nothing; visible ASCII, 1 to 255",
            schema = @Schema(type = SchemaType.STRING, minLength = 1, maxLength = 255, pattern = "^[\\x21-\\x7E]+$"))
    @APIResponse(responseCode = "201", description = "Published: the incident with its review", headers = {
            @Header(name = HttpHeaders.LOCATION, description = "/api/incidents/{id}/events/{version}: the review's event", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.ETAG, description = "The incident's version after the command, quoted: \"2\"", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = RequestHeaders.IDEMPOTENT_REPLAYED, description = "true when this is the stored answer to an earlier request with the same Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncidentView.class)))
    @APIResponse(responseCode = "409", description = "The incident is not resolved, correctsVersion does not match the review, or another command was appended meanwhile")
    @APIResponse(responseCode = "412", description = "If-Match names a version that is not the current one")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was already used for a different request")
    public Response publishReview(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch, byte[] body,
            @jakarta.ws.rs.core.Context HttpHeaders headers, @jakarta.ws.rs.core.Context UriInfo uri) {
        UUID incidentId = incidentId(id);
        RequestReader request = RequestReader.of(headers, body, Set.of("rootCause", "impactSummary", "preventativeMeasures", "correctsVersion"));
        String rootCause = request.text("rootCause");
        String impactSummary = request.text("impactSummary");
        List<String> measures = request.texts("preventativeMeasures");
        Integer correctsVersion = request.integer("correctsVersion");
        RequestContext context = context(headers, request, "POST", uri);
        PublishReview command = new PublishReview(UUID.randomUUID(), rootCause, impactSummary, measures, correctsVersion,
                context.actor());
        return respond(commands.publishReview(incidentId, ifMatch, command, request.violations(), context));
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    @GET
    @RolesAllowed({ Roles.INCIDENT_READER, Roles.INCIDENT_WRITER })
    @Operation(operationId = "listIncidents", summary = "List incidents, newest first", description = "Filters: status, "
            + "service, region (an incident naming the region or 'global'). Paging: page (from 0), size (1..200, default 20).")
    @APIResponse(responseCode = "200", description = "One page of the list, with relative links to its neighbours")
    public Paging.PageView<ReadModels.IncidentSummary> list(@QueryParam("status") String status,
            @QueryParam("service") String service, @QueryParam("region") String region, @QueryParam("page") String page,
            @QueryParam("size") String size, @jakarta.ws.rs.core.Context HttpServerRequest request) throws SQLException {
        Paging paging = Paging.of(page, size);
        String serviceFilter = blankToNull(service);
        String regionFilter = blankToNull(region);
        FieldErrors filters = new FieldErrors();
        if (status != null && IncidentStatus.parse(status).isEmpty()) {
            filters.add("status", "must be one of " + STATUSES + ": " + Quoted.of(status));
        }
        Filters.service(filters, "service", serviceFilter);
        Filters.region(filters, "region", regionFilter);
        filters.throwIfAny("Invalid filter");
        ReadModels.Page<ReadModels.IncidentSummary> result = readModels.incidents(status, serviceFilter, regionFilter,
                paging.page(), paging.size());
        return paging.view(result.items(), result.totalItems(), request);
    }

    @GET
    @Path("/{id}")
    @RolesAllowed({ Roles.INCIDENT_READER, Roles.INCIDENT_WRITER })
    @Operation(operationId = "getIncident", summary = "An incident, rebuilt from its events", description = "?asOf=<UTC "
            + "instant> gives its state at that instant. ETag is its version.")
    @APIResponse(responseCode = "200", description = "The incident", headers = @Header(name = HttpHeaders.ETAG,
            description = "The incident's version, quoted: \"3\"", schema = @Schema(type = SchemaType.STRING)),
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = IncidentView.class)))
    public Response get(@PathParam("id") String id, @QueryParam("asOf") String asOf) throws SQLException {
        UUID incidentId = incidentId(id);
        Instant at = null;
        if (asOf != null) {
            List<Violation> violations = new ArrayList<>();
            at = RequestReader.instant("asOf", asOf, violations);
            if (at == null) {
                throw new BadRequest("asOf: " + violations.get(0).reason(), violations);
            }
        }
        List<StoredEvent> stream;
        try (Connection connection = dataSource.getConnection()) {
            stream = store.readStream(connection, incidentId);
        }
        if (stream.isEmpty()) {
            throw new IncidentNotFound(incidentId);
        }
        List<Decoded> history = new ArrayList<>();
        for (StoredEvent stored : stream) {
            Decoded decoded = stored.decode();
            if (at == null || !decoded.envelope().occurredAt().isAfter(at)) {
                history.add(decoded);
            }
        }
        if (history.isEmpty()) {
            throw new IncidentNotFound(incidentId + " as of " + at + " (it was opened later)");
        }
        IncidentView view = IncidentView.of(history, at);
        return Response.ok(view).tag(new jakarta.ws.rs.core.EntityTag(String.valueOf(view.version()))).build();
    }

    /** A stored event as the API shows it. */
    public record EventView(long position, UUID eventId, UUID streamId, int version, String type, int schemaVersion,
            @Schema(implementation = Map.class, description = "The event's payload as published (contracts/: "
                    + "IncidentOpenedV1, UpdatePostedV1, ReviewPublishedV1)") JsonNode data,
            @Schema(implementation = Map.class, description = "correlationId, causationId, actor, and traceparent and "
                    + "idempotencyKey when the request had them") JsonNode metadata,
            Instant recordedAt) {
    }

    @GET
    @Path("/{id}/events")
    @RolesAllowed({ Roles.INCIDENT_READER, Roles.INCIDENT_WRITER })
    @Operation(operationId = "listIncidentEvents", summary = "The incident's stored events, in version order (paged)")
    @APIResponse(responseCode = "200", description = "One page of the events, with relative links to its neighbours")
    public Paging.PageView<EventView> events(@PathParam("id") String id, @QueryParam("page") String page,
            @QueryParam("size") String size, @jakarta.ws.rs.core.Context HttpServerRequest request) throws Exception {
        UUID incidentId = incidentId(id);
        Paging paging = Paging.of(page, size);
        try (Connection connection = dataSource.getConnection()) {
            int total = store.streamVersion(connection, incidentId);
            if (total == 0) {
                throw new IncidentNotFound(incidentId);
            }
            List<EventView> items = new ArrayList<>();
            for (StoredEvent event : store.readStream(connection, incidentId, paging.page() * paging.size() + 1, paging.size())) {
                items.add(view(event));
            }
            return paging.view(items, total, request);
        }
    }

    @GET
    @Path("/{id}/events/{version}")
    @RolesAllowed({ Roles.INCIDENT_READER, Roles.INCIDENT_WRITER })
    @Operation(operationId = "getIncidentEvent", summary = "One stored event of the incident (where a posted update or "
            + "review lives)")
    @APIResponse(responseCode = "200", description = "The stored event",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = EventView.class)))
    public EventView event(@PathParam("id") String id, @PathParam("version") String version) throws Exception {
        UUID incidentId = incidentId(id);
        // A version is written as the ETag and Location give it: 1, 2, ... (not 01, +1 or 1.0).
        if (!VERSION.matcher(version).matches()) {
            throw new jakarta.ws.rs.NotFoundException();
        }
        int number = Integer.parseInt(version);
        try (Connection connection = dataSource.getConnection()) {
            List<StoredEvent> events = number < 1 ? List.of() : store.readStream(connection, incidentId, number, 1);
            if (events.isEmpty() || events.get(0).version() != number) {
                throw new jakarta.ws.rs.NotFoundException();
            }
            return view(events.get(0));
        }
    }

    private EventView view(StoredEvent event) throws Exception {
        return new EventView(event.position(), event.eventId(), event.streamId(), event.version(), event.type(),
                event.schemaVersion(), json.readTree(event.data()), json.readTree(event.metadata()), event.recordedAt());
    }

    private RequestContext context(HttpHeaders headers, RequestReader request, String method, UriInfo uri) {
        String key = RequestContexts.idempotencyKey(headers);
        return contexts.of(headers, key, key == null ? null : request.hash(method, uri.getPath()));
    }

    private static Response respond(CommandResponse response) {
        Response.ResponseBuilder builder = Response.status(response.status()).type(MediaType.APPLICATION_JSON).entity(response.body());
        if (response.location() != null) {
            builder.location(URI.create(response.location()));
        }
        if (response.etag() != null) {
            builder.header(HttpHeaders.ETAG, response.etag());
        }
        if (response.replayed()) {
            builder.header(RequestHeaders.IDEMPOTENT_REPLAYED, "true");
        }
        return builder.build();
    }

    static UUID incidentId(String id) {
        if (!Ids.isUuid(id)) {
            throw new IncidentNotFound(Quoted.of(id));
        }
        return UUID.fromString(id);
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

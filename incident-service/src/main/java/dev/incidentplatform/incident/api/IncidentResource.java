package dev.incidentplatform.incident.api;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;

import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.incident.domain.ComponentStatus;
import dev.incidentplatform.incident.domain.IncidentCommand.OpenIncident;
import dev.incidentplatform.incident.domain.IncidentCommand.PostUpdate;
import dev.incidentplatform.incident.domain.IncidentCommand.PublishReview;
import dev.incidentplatform.incident.domain.IncidentStatus;
import dev.incidentplatform.incident.domain.Severity;
import dev.incidentplatform.incident.events.EventCodec.Decoded;
import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.projection.ReadModels;
import dev.incidentplatform.incident.service.CommandFailure.IncidentNotFound;
import dev.incidentplatform.incident.service.IncidentCommands;
import dev.incidentplatform.incident.service.IncidentView;
import dev.incidentplatform.incident.service.RequestContext;
import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.idempotency.IdempotencyRecords;
import dev.incidentplatform.platform.json.StrictTimes;
import dev.incidentplatform.platform.json.TextRuleException;
import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.FieldErrors;
import dev.incidentplatform.platform.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Incidents: commands append to the event store; {@code GET /{id}}, {@code ?asOf=} and {@code /events} read the event
 * store itself (always current); the list reads the incident_summary projection.
 */
@Path("/api/incidents")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "incidents", description = "Opening incidents, posting updates and reviews, reading them and their events")
public class IncidentResource {

    private static final Pattern VERSION = Pattern.compile("[1-9][0-9]{0,8}");

    private final IncidentCommands commands;
    private final EventStore store;
    private final DataSource dataSource;
    private final ReadModels readModels;
    private final RequestContexts contexts;
    private final ObjectMapper json;
    private final IdempotencyRecords idempotency;

    public IncidentResource(IncidentCommands commands, EventStore store, DataSource dataSource, ReadModels readModels,
            RequestContexts contexts, ObjectMapper json, IdempotencyRecords idempotency) {
        this.idempotency = idempotency;
        this.commands = commands;
        this.store = store;
        this.dataSource = dataSource;
        this.readModels = readModels;
        this.contexts = contexts;
        this.json = json;
    }

    // ---- requests: bound by the platform's strict JSON, then judged by the aggregate --------------------------------

    public record ComponentRequest(String service, List<String> regions,
            @JsonDeserialize(using = Choices.ComponentStatusChoice.class)
            @Schema(implementation = String.class, enumeration = { "operational", "degraded_performance", "partial_outage", "major_outage", "under_maintenance" }) ComponentStatus status) {

        static List<Component> toComponents(List<ComponentRequest> requests) {
            return requests == null ? null : requests.stream().map(c -> new Component(c.service(), c.regions(), c.status())).toList();
        }
    }

    public record OpenIncidentRequest(@Schema(required = true, maxLength = 200) String title,
            @JsonDeserialize(using = Choices.SeverityChoice.class)
            @Schema(required = true, implementation = String.class, enumeration = { "SEV1", "SEV2", "SEV3", "SEV4" }) Severity severity,
            @JsonDeserialize(using = Choices.StatusChoice.class)
            @Schema(implementation = String.class, enumeration = { "investigating", "identified", "monitoring" }) IncidentStatus status,
            @Schema(required = true, maxLength = 10000) String message,
            @Schema(implementation = String.class, description = "ISO-8601 UTC; default now; may lie in the past") Instant startedAt,
            @Schema(required = true, minItems = 1, maxItems = 100) List<ComponentRequest> components) {
    }

    public record PostUpdateRequest(
            @JsonDeserialize(using = Choices.StatusChoice.class)
            @Schema(required = true, implementation = String.class, enumeration = { "investigating", "identified", "monitoring", "resolved" }) IncidentStatus status,
            @Schema(required = true, maxLength = 10000) String message,
            @Schema(description = "Components whose status changes; the others keep theirs") List<ComponentRequest> components,
            @Schema(implementation = String.class, description = "ISO-8601 UTC; default now; not before the previous update's") Instant effectiveAt) {
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
    public Response open(OpenIncidentRequest body, @jakarta.ws.rs.core.Context HttpHeaders headers,
            @jakarta.ws.rs.core.Context UriInfo uri) {
        OpenIncidentRequest request = required(body);
        RequestContext context = context(headers, request, uri);
        OpenIncident command = new OpenIncident(UUID.randomUUID(), request.title(), request.severity(), request.status(),
                request.message(), request.startedAt(), ComponentRequest.toComponents(request.components()), context.actor());
        return commands.open(command, context).toResponse();
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
    public Response postUpdate(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            PostUpdateRequest body, @jakarta.ws.rs.core.Context HttpHeaders headers,
            @jakarta.ws.rs.core.Context UriInfo uri) {
        UUID incidentId = incidentId(id);
        PostUpdateRequest request = required(body);
        RequestContext context = context(headers, request, uri);
        PostUpdate command = new PostUpdate(UUID.randomUUID(), request.status(), request.message(),
                ComponentRequest.toComponents(request.components()), request.effectiveAt(), context.actor());
        return commands.postUpdate(incidentId, ifMatch, command, context).toResponse();
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
    public Response publishReview(@PathParam("id") String id, @HeaderParam(HttpHeaders.IF_MATCH) String ifMatch,
            PublishReviewRequest body, @jakarta.ws.rs.core.Context HttpHeaders headers,
            @jakarta.ws.rs.core.Context UriInfo uri) {
        UUID incidentId = incidentId(id);
        PublishReviewRequest request = required(body);
        RequestContext context = context(headers, request, uri);
        PublishReview command = new PublishReview(UUID.randomUUID(), request.rootCause(), request.impactSummary(),
                request.preventativeMeasures(), request.correctsVersion(), context.actor());
        return commands.publishReview(incidentId, ifMatch, command, context).toResponse();
    }

    // ---- reads --------------------------------------------------------------------------------------------------

    @GET
    @RolesAllowed({ Roles.INCIDENT_READER, Roles.INCIDENT_WRITER })
    @Operation(operationId = "listIncidents", summary = "List incidents, newest first", description = "Filters: status, "
            + "service, region (an incident naming the region or 'global'). Paging: page (from 0), size (1..500, default 50).")
    @APIResponse(responseCode = "200", description = "One page of the list, with relative links to its neighbours")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<ReadModels.IncidentSummary> list(@QueryParam("status") String status,
            @QueryParam("service") String service, @QueryParam("region") String region,
            @jakarta.ws.rs.core.Context HttpServerRequest request) throws SQLException {
        Paging paging = Paging.of(request);
        String serviceFilter = blankToNull(service);
        String regionFilter = blankToNull(region);
        FieldErrors filters = new FieldErrors();
        if (status != null && IncidentStatus.parse(status).isEmpty()) {
            filters.add("status", "must be one of " + Choices.STATUSES + ": " + Quoted.of(status));
        }
        Filters.service(filters, "service", serviceFilter);
        Filters.region(filters, "region", regionFilter);
        filters.throwIfAny("Invalid filter");
        ReadModels.Page<ReadModels.IncidentSummary> result = readModels.incidents(status, serviceFilter, regionFilter,
                paging.page(), paging.size());
        return paging.page(result.items(), result.totalItems());
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
            try {
                at = StrictTimes.instant(asOf);
            } catch (TextRuleException e) {
                throw ProblemException.field("asOf", e.getMessage() + ": " + Quoted.of(asOf));
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
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<EventView> events(@PathParam("id") String id, @jakarta.ws.rs.core.Context HttpServerRequest request)
            throws Exception {
        UUID incidentId = incidentId(id);
        Paging paging = Paging.of(request);
        try (Connection connection = dataSource.getConnection()) {
            int total = store.streamVersion(connection, incidentId);
            if (total == 0) {
                throw new IncidentNotFound(incidentId);
            }
            List<EventView> items = new ArrayList<>();
            // Versions start at 1; a page beyond the last version holds nothing.
            if (paging.offset() < total) {
                for (StoredEvent event : store.readStream(connection, incidentId, (int) paging.offset() + 1, paging.size())) {
                    items.add(view(event));
                }
            }
            return paging.page(items, total);
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

    private RequestContext context(HttpHeaders headers, Object request, UriInfo uri) {
        String key = RequestContexts.idempotencyKey(headers);
        return contexts.of(headers, key, key == null ? null : idempotency.fingerprint("POST", uri.getPath(), request));
    }

    /** A body with nothing in it is bound to no request at all. */
    private static <T> T required(T request) {
        if (request == null) {
            throw ProblemException.field("body", "is empty; send the request as a JSON object");
        }
        return request;
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

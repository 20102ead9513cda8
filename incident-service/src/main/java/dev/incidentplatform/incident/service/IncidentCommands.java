package dev.incidentplatform.incident.service;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BiFunction;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.domain.Incident;
import dev.incidentplatform.incident.domain.IncidentCommand.OpenIncident;
import dev.incidentplatform.incident.domain.IncidentCommand.PostUpdate;
import dev.incidentplatform.incident.domain.IncidentCommand.PublishReview;
import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.eventstore.ConcurrentAppendException;
import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.EventStore.NewEvent;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.events.Envelope;
import dev.incidentplatform.incident.events.EventCodec;
import dev.incidentplatform.incident.events.EventCodec.Decoded;
import dev.incidentplatform.incident.metrics.IncidentMetrics;
import dev.incidentplatform.incident.service.CommandFailure.ConcurrentChange;
import dev.incidentplatform.incident.service.CommandFailure.IncidentNotFound;
import dev.incidentplatform.incident.service.CommandFailure.StaleVersion;
import dev.incidentplatform.platform.idempotency.IdempotencyRecords;
import dev.incidentplatform.platform.idempotency.StoredResponse;
import dev.incidentplatform.platform.links.PublicLinks;
import dev.incidentplatform.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;

/**
 * Runs each command in one database transaction: load the stream, let the aggregate decide, append the event (the
 * transaction's first write), then store the Idempotency-Key's answer. Kafka is not involved: the relay publishes
 * what commits, so a broker outage never blocks or fails a command.
 * <p>
 * The transaction is the span {@value #APPEND_SPAN} (child of the request's server span, or of the caller's
 * {@code traceparent} when there is none), and the event is stored with that span's {@code traceparent} in its
 * metadata: the relay, which publishes it later, makes its publish span a child of it (docs/decisions/0016).
 */
@ApplicationScoped
public class IncidentCommands {

    public static final String APPEND_SPAN = "event-store append";

    private final DataSource dataSource;
    private final EventStore store;
    private final IdempotencyRecords idempotency;
    private final ObjectMapper json;
    private final IncidentMetrics metrics;
    private final Clock clock;
    private final Tracing tracing;

    public IncidentCommands(DataSource dataSource, EventStore store, IdempotencyRecords idempotency, ObjectMapper json,
            IncidentMetrics metrics, Clock clock, Tracing tracing) {
        this.clock = clock;
        this.tracing = tracing;
        this.dataSource = dataSource;
        this.store = store;
        this.idempotency = idempotency;
        this.json = json;
        this.metrics = metrics;
    }

    public StoredResponse open(OpenIncident command, RequestContext context) {
        UUID id = command.incidentId();
        return run(id, null, true, context, (incident, now) -> Incident.open(command, now),
                (view, version) -> created(PublicLinks.location("api", "incidents", id.toString()), view, version));
    }

    public StoredResponse postUpdate(UUID id, String ifMatch, PostUpdate command, RequestContext context) {
        return run(id, ifMatch, false, context, (incident, now) -> incident.postUpdate(command, now),
                (view, version) -> created(eventLocation(id, version), view, version));
    }

    public StoredResponse publishReview(UUID id, String ifMatch, PublishReview command, RequestContext context) {
        return run(id, ifMatch, false, context, (incident, now) -> incident.publishReview(command),
                (view, version) -> created(eventLocation(id, version), view, version));
    }

    private StoredResponse created(String location, IncidentView view, int version) {
        return new StoredResponse(201, location, etag(version), body(view));
    }

    private static String eventLocation(UUID id, int version) {
        return PublicLinks.location("api", "incidents", id.toString(), "events", Integer.toString(version));
    }

    public static String etag(int version) {
        return "\"" + version + "\"";
    }

    private interface Respond {
        StoredResponse to(IncidentView view, int version);
    }

    private StoredResponse run(UUID streamId, String ifMatch, boolean opens, RequestContext context,
            BiFunction<Incident, Instant, IncidentEvent> decide, Respond respond) {
        try (Tracing.ActiveSpan span = tracing.child(APPEND_SPAN, SpanKind.INTERNAL, context.traceparent())) {
            span.span().setAttribute("incident.id", streamId.toString());
            try {
                return run(streamId, ifMatch, opens, context, decide, respond, span);
            } catch (RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }
    }

    private StoredResponse run(UUID streamId, String ifMatch, boolean opens, RequestContext context,
            BiFunction<Incident, Instant, IncidentEvent> decide, Respond respond, Tracing.ActiveSpan span) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (context.idempotencyKey() != null) {
                    Optional<StoredResponse> earlier = earlierAnswer(connection, context);
                    if (earlier.isPresent()) {
                        connection.rollback();
                        return earlier.get();
                    }
                }
                List<Decoded> history = new ArrayList<>();
                if (!opens) {
                    for (StoredEvent stored : store.readStream(connection, streamId)) {
                        history.add(stored.decode());
                    }
                    if (history.isEmpty()) {
                        throw new IncidentNotFound(streamId);
                    }
                }
                int current = history.size();
                if (ifMatch != null && !matches(ifMatch, current)) {
                    throw new StaleVersion(ifMatch, current);
                }
                Incident incident = opens ? null : Incident.from(history.stream().map(Decoded::event).toList());
                IncidentEvent event = decide.apply(incident, now);
                Envelope envelope = new Envelope(UUID.randomUUID(), streamId, current + 1, now, context.correlationId(),
                        context.requestId(), context.actor());
                String data = EventCodec.encode(event, envelope);
                span.span().setAttribute("cloudevents.event_id", envelope.eventId().toString());
                span.span().setAttribute("cloudevents.event_type", event.type());
                // First write of the transaction, on purpose: see EventStore.append.
                store.append(connection, streamId, current, new NewEvent(envelope.eventId(), event.type(),
                        EventCodec.SCHEMA_VERSION, data, metadata(context, span.traceparent())));
                history.add(new Decoded(envelope, event));
                StoredResponse response = respond.to(IncidentView.of(history, null), current + 1);
                if (context.idempotencyKey() != null) {
                    idempotency.save(connection, context.actor(), context.idempotencyKey(), context.requestHash(), response);
                }
                connection.commit();
                metrics.appended(event.type());
                return response;
            } catch (ConcurrentAppendException | IdempotencyRecords.KeyTaken race) {
                connection.rollback();
                // The winner has committed (the losing INSERT waited for it): if it was this very request, answer as it did.
                if (context.idempotencyKey() != null) {
                    Optional<StoredResponse> earlier = earlierAnswer(connection, context);
                    connection.rollback();
                    if (earlier.isPresent()) {
                        return earlier.get();
                    }
                }
                throw new ConcurrentChange(streamId, currentVersion(connection, streamId));
            } catch (RuntimeException | SQLException e) {
                connection.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The event store failed", e);
        }
    }

    private int currentVersion(Connection connection, UUID streamId) throws SQLException {
        int version = store.streamVersion(connection, streamId);
        connection.rollback();
        return version;
    }

    private Optional<StoredResponse> earlierAnswer(Connection connection, RequestContext context) throws SQLException {
        return idempotency.find(connection, context.actor(), context.idempotencyKey(), context.requestHash());
    }

    /** If-Match: "*" or a list of entity tags, one of which must be the current version. */
    static boolean matches(String ifMatch, int version) {
        for (String tag : ifMatch.split(",")) {
            String trimmed = tag.trim();
            if (trimmed.equals("*") || trimmed.equals(etag(version))) {
                return true;
            }
        }
        return false;
    }

    private String metadata(RequestContext context, String appendTraceparent) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("correlationId", context.correlationId());
        metadata.put("causationId", context.requestId());
        metadata.put("actor", context.actor());
        // No-op tracing (no span): the caller's context is passed on as it came.
        String traceparent = appendTraceparent != null ? appendTraceparent : context.traceparent();
        if (traceparent != null) {
            metadata.put("traceparent", traceparent);
        }
        if (context.idempotencyKey() != null) {
            metadata.put("idempotencyKey", context.idempotencyKey());
        }
        return body(metadata);
    }

    private String body(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

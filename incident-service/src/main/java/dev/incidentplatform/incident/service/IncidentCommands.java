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
import java.util.Set;
import java.util.UUID;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.domain.CommandRejected;
import dev.incidentplatform.incident.domain.CommandRejected.Reason;
import dev.incidentplatform.incident.domain.Incident;
import dev.incidentplatform.incident.domain.IncidentCommand.OpenIncident;
import dev.incidentplatform.incident.domain.IncidentCommand.PostUpdate;
import dev.incidentplatform.incident.domain.IncidentCommand.PublishReview;
import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.domain.Violation;
import dev.incidentplatform.incident.eventstore.ConcurrentAppendException;
import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.EventStore.NewEvent;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.events.Envelope;
import dev.incidentplatform.incident.events.EventCodec;
import dev.incidentplatform.incident.events.EventCodec.Decoded;
import dev.incidentplatform.incident.metrics.IncidentMetrics;
import dev.incidentplatform.incident.service.CommandFailure.ConcurrentChange;
import dev.incidentplatform.incident.service.CommandFailure.IdempotencyKeyReused;
import dev.incidentplatform.incident.service.CommandFailure.IncidentNotFound;
import dev.incidentplatform.incident.service.CommandFailure.StaleVersion;

/**
 * Runs each command in one database transaction: load the stream, let the aggregate decide, append the event (the
 * transaction's first write), then store the Idempotency-Key's answer. Kafka is not involved: the relay publishes
 * what commits, so a broker outage never blocks or fails a command.
 */
@ApplicationScoped
public class IncidentCommands {

    private final DataSource dataSource;
    private final EventStore store;
    private final IdempotencyRecords idempotency;
    private final ObjectMapper json;
    private final IncidentMetrics metrics;
    private final Clock clock = Clock.systemUTC();

    public IncidentCommands(DataSource dataSource, EventStore store, IdempotencyRecords idempotency, ObjectMapper json,
            IncidentMetrics metrics) {
        this.dataSource = dataSource;
        this.store = store;
        this.idempotency = idempotency;
        this.json = json;
        this.metrics = metrics;
    }

    public CommandResponse open(OpenIncident command, List<Violation> unreadable, RequestContext context) {
        UUID id = command.incidentId();
        return run(id, null, true, context, unreadable, (incident, now) -> Incident.open(command, now),
                (view, version) -> new CommandResponse(201, "/api/incidents/" + id, etag(version), body(view)));
    }

    public CommandResponse postUpdate(UUID id, String ifMatch, PostUpdate command, List<Violation> unreadable,
            RequestContext context) {
        return run(id, ifMatch, false, context, unreadable, (incident, now) -> incident.postUpdate(command, now),
                (view, version) -> new CommandResponse(201, "/api/incidents/" + id + "/events/" + version, etag(version), body(view)));
    }

    public CommandResponse publishReview(UUID id, String ifMatch, PublishReview command, List<Violation> unreadable,
            RequestContext context) {
        return run(id, ifMatch, false, context, unreadable, (incident, now) -> incident.publishReview(command),
                (view, version) -> new CommandResponse(201, "/api/incidents/" + id + "/events/" + version, etag(version), body(view)));
    }

    public static String etag(int version) {
        return "\"" + version + "\"";
    }

    private interface Respond {
        CommandResponse to(IncidentView view, int version);
    }

    private CommandResponse run(UUID streamId, String ifMatch, boolean opens, RequestContext context,
            List<Violation> unreadable, BiFunction<Incident, Instant, IncidentEvent> decide, Respond respond) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                if (context.idempotencyKey() != null) {
                    Optional<CommandResponse> earlier = earlierAnswer(connection, context);
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
                IncidentEvent event = decide(unreadable, () -> decide.apply(incident, now));
                Envelope envelope = new Envelope(UUID.randomUUID(), streamId, current + 1, now, context.correlationId(),
                        context.requestId(), context.actor());
                String data = EventCodec.encode(event, envelope);
                // First write of the transaction, on purpose: see EventStore.append.
                store.append(connection, streamId, current, new NewEvent(envelope.eventId(), event.type(),
                        EventCodec.SCHEMA_VERSION, data, metadata(context)));
                history.add(new Decoded(envelope, event));
                CommandResponse response = respond.to(IncidentView.of(history, null), current + 1);
                if (context.idempotencyKey() != null) {
                    idempotency.save(connection, context.actor(), context.idempotencyKey(), context.requestHash(), streamId, response);
                }
                connection.commit();
                metrics.appended(event.type());
                return response;
            } catch (ConcurrentAppendException | IdempotencyRecords.KeyTaken race) {
                connection.rollback();
                // The winner has committed (the losing INSERT waited for it): if it was this very request, answer as it did.
                if (context.idempotencyKey() != null) {
                    Optional<CommandResponse> earlier = earlierAnswer(connection, context);
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

    private Optional<CommandResponse> earlierAnswer(Connection connection, RequestContext context) throws SQLException {
        Optional<IdempotencyRecords.Stored> stored = idempotency.find(connection, context.actor(), context.idempotencyKey());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        if (!stored.get().requestHash().equals(context.requestHash())) {
            throw new IdempotencyKeyReused(context.idempotencyKey());
        }
        return Optional.of(stored.get().response());
    }

    /**
     * The aggregate's decision, with the fields the API could not read reported together with the aggregate's own
     * findings (a field the API already reported is not reported twice).
     */
    private static IncidentEvent decide(List<Violation> unreadable, java.util.function.Supplier<IncidentEvent> decision) {
        try {
            IncidentEvent event = decision.get();
            if (!unreadable.isEmpty()) {
                throw new CommandRejected(Reason.INVALID, unreadable);
            }
            return event;
        } catch (CommandRejected rejected) {
            if (unreadable.isEmpty() || rejected.violations().equals(unreadable)) {
                throw rejected;
            }
            List<Violation> all = new ArrayList<>(unreadable);
            if (rejected.reason() == Reason.INVALID) {
                Set<String> reported = unreadable.stream().map(Violation::field).collect(Collectors.toSet());
                rejected.violations().stream().filter(v -> reported.stream().noneMatch(f -> v.field().equals(f)
                        || v.field().startsWith(f + ".") || v.field().startsWith(f + "["))).forEach(all::add);
            }
            throw new CommandRejected(Reason.INVALID, all);
        }
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

    private String metadata(RequestContext context) {
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put("correlationId", context.correlationId());
        metadata.put("causationId", context.requestId());
        metadata.put("actor", context.actor());
        if (context.traceparent() != null) {
            metadata.put("traceparent", context.traceparent());
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

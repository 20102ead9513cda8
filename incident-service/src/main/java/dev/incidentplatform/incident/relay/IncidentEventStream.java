package dev.incidentplatform.incident.relay;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.events.EventCodec;
import dev.incidentplatform.platform.outbox.AppendOnlyTable;
import dev.incidentplatform.platform.outbox.OutboxRecord;
import dev.incidentplatform.platform.outbox.RelayedStream;
import dev.incidentplatform.platform.outbox.SubscriptionSettings;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.core.extensions.DistributedTracingExtension;

/**
 * The event store published to {@code incident-events} (the platform's Kafka relay runs it): each event a CloudEvents
 * 1.0 record in binary mode (contracts/README.md), keyed by incident id, with the command's {@code traceparent} (kept
 * in the event's metadata) as the distributed-tracing extension.
 */
@ApplicationScoped
public class IncidentEventStream implements RelayedStream {

    public static final String NAME = "incident-events";
    public static final String CHECKPOINT = "relay:incident-events";
    static final URI SOURCE = URI.create("/incident-service");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final SubscriptionSettings settings;
    private final String topic;

    public IncidentEventStream(@ConfigProperty(name = "incident.relay.topic", defaultValue = "incident-events") String topic,
            @ConfigProperty(name = "incident.relay.batch-size", defaultValue = "500") int batchSize,
            @ConfigProperty(name = "incident.relay.idle-wait", defaultValue = "PT0.5S") Duration idleWait,
            @ConfigProperty(name = "incident.relay.health.max-lag", defaultValue = "PT60S") Duration maxLag,
            @ConfigProperty(name = "incident.relay.enabled", defaultValue = "true") boolean enabled) {
        this.settings = new SubscriptionSettings(NAME, CHECKPOINT, batchSize, idleWait, maxLag, enabled);
        this.topic = topic;
    }

    @Override
    public SubscriptionSettings settings() {
        return settings;
    }

    @Override
    public AppendOnlyTable table() {
        return EventStore.TABLE;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String storeIdentityQuery() {
        return "SELECT store_id FROM event_store_identity";
    }

    @Override
    public String headerPrefix() {
        return "incident";
    }

    @Override
    public Optional<OutboxRecord> record(ResultSet row) throws SQLException {
        StoredEvent event = EventStore.row(row);
        CloudEventBuilder builder = CloudEventBuilder.v1()
                .withId(event.eventId().toString())
                .withType(event.type())
                .withSource(SOURCE)
                .withTime(occurredAt(event))
                .withSubject(event.streamId().toString())
                .withDataSchema(URI.create(EventCodec.schemaId(event.type(), event.schemaVersion())))
                .withDataContentType("application/json")
                .withData(event.data().getBytes(StandardCharsets.UTF_8));
        String traceparent = metadata(event).path(DistributedTracingExtension.TRACEPARENT).asText(null);
        if (traceparent != null) {
            DistributedTracingExtension tracing = new DistributedTracingExtension();
            tracing.setTraceparent(traceparent);
            builder.withExtension(tracing);
        }
        return Optional.of(new OutboxRecord(event.streamId().toString(), builder.build()));
    }

    private static OffsetDateTime occurredAt(StoredEvent event) {
        try {
            return Instant.parse(JSON.readTree(event.data()).path("occurredAt").asText()).atOffset(ZoneOffset.UTC);
        } catch (Exception e) {
            throw new IllegalStateException("Event " + event.eventId() + " has no occurredAt", e);
        }
    }

    private static JsonNode metadata(StoredEvent event) {
        try {
            return JSON.readTree(event.metadata());
        } catch (Exception e) {
            return JSON.createObjectNode();
        }
    }
}

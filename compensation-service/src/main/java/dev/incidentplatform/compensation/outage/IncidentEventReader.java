package dev.incidentplatform.compensation.outage;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.compensation.domain.ComponentState;
import dev.incidentplatform.compensation.domain.ComponentStatus;
import dev.incidentplatform.compensation.domain.RegionSet;
import dev.incidentplatform.platform.consume.CloudEventRecords;
import dev.incidentplatform.platform.consume.UnreadableEventException;
import io.cloudevents.CloudEvent;

/**
 * Reads incident events (CloudEvents, read by the platform with the SDK) as a JSON tree, as a tolerant reader: unknown
 * fields are ignored; an event type it does not read is passed over by the consumer ({@link #reads}); a version it
 * cannot read, and data that lacks what this service needs, are unreadable, with the reason (parked, to be replayed by
 * a version that reads them).
 */
@ApplicationScoped
public class IncidentEventReader {

    private static final Set<String> KNOWN = Set.of(IncidentEvent.OPENED, IncidentEvent.UPDATE_POSTED,
            IncidentEvent.REVIEW_PUBLISHED);

    private final ObjectMapper json;

    public IncidentEventReader(ObjectMapper json) {
        this.json = json;
    }

    /** Whether this service reads events of {@code type} at all. */
    public static boolean reads(String type) {
        return KNOWN.contains(type);
    }

    public IncidentEvent read(CloudEvent cloudEvent) {
        String type = cloudEvent.getType();
        JsonNode event;
        try {
            event = json.readTree(new String(CloudEventRecords.data(cloudEvent), StandardCharsets.UTF_8));
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("the value is not JSON: " + e.getOriginalMessage());
        }
        if (event == null || !event.isObject()) {
            throw new UnreadableEventException("the value is not a JSON object");
        }
        if (event.hasNonNull("eventType") && !type.equals(event.get("eventType").asText())) {
            throw new UnreadableEventException("ce_type '" + type + "' differs from eventType '"
                    + event.get("eventType").asText() + "'");
        }
        if (!KNOWN.contains(type)) {
            throw new UnreadableEventException("event type '" + type + "' is not one this service reads");
        }
        JsonNode schemaVersion = event.get("schemaVersion");
        if (schemaVersion == null || !schemaVersion.isIntegralNumber() || schemaVersion.asInt() != 1) {
            throw new UnreadableEventException("schema version " + schemaVersion + " of " + type
                    + " is not one this service reads");
        }
        UUID eventId = uuid(event, "eventId");
        UUID incidentId = uuid(event, "incidentId");
        JsonNode version = event.get("streamVersion");
        if (version == null || !version.canConvertToLong() || version.asLong() < 1) {
            throw new UnreadableEventException("streamVersion is missing or not a positive integer");
        }
        Instant occurredAt = instant(event, "occurredAt");
        String actor = text(event, "actor");
        String correlationId = event.hasNonNull("correlationId") ? event.get("correlationId").asText() : eventId.toString();
        if (type.equals(IncidentEvent.REVIEW_PUBLISHED)) {
            return new IncidentEvent(eventId, type, incidentId, version.asLong(), occurredAt, null, false, List.of(), "[]",
                    actor, correlationId);
        }
        Instant effectiveAt = type.equals(IncidentEvent.OPENED) ? instant(event, "startedAt") : instant(event, "effectiveAt");
        boolean resolves = type.equals(IncidentEvent.UPDATE_POSTED) && "resolved".equals(text(event, "status"));
        JsonNode components = event.get("components");
        if (components == null || !components.isArray()) {
            throw new UnreadableEventException("components is missing or not a list");
        }
        List<ComponentState> states = new ArrayList<>();
        for (int i = 0; i < components.size(); i++) {
            JsonNode component = components.get(i);
            String at = "components[" + i + "]";
            try {
                List<String> regions = new ArrayList<>();
                component.path("regions").forEach(region -> regions.add(region.asText()));
                states.add(new ComponentState(requiredText(component, "service", at), RegionSet.of(regions),
                        ComponentStatus.fromWire(requiredText(component, "status", at))));
            } catch (IllegalArgumentException e) {
                throw new UnreadableEventException(at + ": " + e.getMessage());
            }
        }
        return new IncidentEvent(eventId, type, incidentId, version.asLong(), occurredAt, effectiveAt, resolves, states,
                components.toString(), actor, correlationId);
    }

    private static String requiredText(JsonNode node, String field, String at) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new IllegalArgumentException(field + " is missing or not text");
        }
        return value.asText();
    }

    private static String text(JsonNode event, String field) {
        JsonNode value = event.get(field);
        if (value == null || !value.isTextual() || value.asText().isBlank()) {
            throw new UnreadableEventException(field + " is missing or not text");
        }
        return value.asText();
    }

    private static UUID uuid(JsonNode event, String field) {
        String text = text(event, field);
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException(field + " '" + text + "' is not a UUID");
        }
    }

    private static Instant instant(JsonNode event, String field) {
        String text = text(event, field);
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException(field + " '" + text + "' is not an RFC 3339 UTC time");
        }
    }
}

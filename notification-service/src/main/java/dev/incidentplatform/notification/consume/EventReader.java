package dev.incidentplatform.notification.consume;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.domain.event.IncidentOpened;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.notification.domain.event.ReviewPublished;
import dev.incidentplatform.notification.domain.event.UpdatePosted;
import dev.incidentplatform.platform.consume.CloudEventRecords;
import dev.incidentplatform.platform.consume.UnreadableEventException;
import io.cloudevents.CloudEvent;

/**
 * Tolerant reader of the CloudEvents on incident-events and credit-events: reads the JSON data as a tree and ignores
 * fields it does not know; refuses, with a reason, an event type or schema version it does not know (parked, to be
 * replayed by a version that knows it) and data that lacks what its type requires.
 */
@ApplicationScoped
public class EventReader {

    private static final int KNOWN_VERSION = 1;

    private final ObjectMapper mapper;

    public EventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /** @throws UnreadableEventException when this service cannot read the event (see {@link #read(String, byte[])}) */
    public NotificationEvent read(CloudEvent event) {
        return read(event.getType(), CloudEventRecords.data(event));
    }

    /**
     * @param type the CloudEvent's type
     * @throws UnreadableEventException when the type or schema version is not one this service knows, or the data is
     *         not JSON or lacks a field its type requires
     */
    public NotificationEvent read(String type, byte[] value) {
        JsonNode payload;
        try {
            payload = value == null ? null : mapper.readTree(value);
        } catch (JsonProcessingException e) {
            throw new UnreadableEventException("the value is not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UnreadableEventException("the value cannot be read: " + e.getMessage());
        }
        if (payload == null || !payload.isObject()) {
            throw new UnreadableEventException("the value is not a JSON object");
        }
        if (!NotificationEvent.TYPES.contains(type)) {
            throw new UnreadableEventException("event type '" + type + "' is not one this service reads");
        }
        String eventType = optionalText(payload, "eventType");
        if (eventType != null && !eventType.equals(type)) {
            throw new UnreadableEventException("ce_type '" + type + "' differs from eventType '" + eventType + "'");
        }
        JsonNode version = payload.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new UnreadableEventException("field 'schemaVersion' is missing or not an integer");
        }
        if (version.intValue() != KNOWN_VERSION) {
            throw new UnreadableEventException("schema version " + version.asText() + " of " + type
                    + " is not one this service reads");
        }
        return switch (type) {
            case IncidentOpened.TYPE -> incidentOpened(payload);
            case UpdatePosted.TYPE -> updatePosted(payload);
            case ReviewPublished.TYPE -> reviewPublished(payload);
            case CreditIssued.TYPE -> creditIssued(payload);
            default -> throw new IllegalStateException(type);
        };
    }

    private static IncidentOpened incidentOpened(JsonNode p) {
        return new IncidentOpened(uuid(p, "eventId"), instant(p, "occurredAt"), uuid(p, "incidentId"),
                integer(p, "streamVersion"), text(p, "title"), text(p, "severity"), text(p, "status"), components(p),
                instant(p, "startedAt"), text(p, "message"), text(p, "author"));
    }

    private static UpdatePosted updatePosted(JsonNode p) {
        return new UpdatePosted(uuid(p, "eventId"), instant(p, "occurredAt"), uuid(p, "incidentId"),
                integer(p, "streamVersion"), uuid(p, "updateId"), text(p, "status"), text(p, "message"), components(p),
                instant(p, "effectiveAt"), text(p, "author"));
    }

    private static ReviewPublished reviewPublished(JsonNode p) {
        return new ReviewPublished(uuid(p, "eventId"), instant(p, "occurredAt"), uuid(p, "incidentId"),
                integer(p, "streamVersion"), uuid(p, "reviewId"), integer(p, "reviewVersion"), text(p, "rootCause"),
                text(p, "impactSummary"), list(p, "preventativeMeasures", EventReader::asText), text(p, "author"));
    }

    private static CreditIssued creditIssued(JsonNode p) {
        CreditIssued.Money amount = null;
        if (p.hasNonNull("amount")) {
            JsonNode money = p.get("amount");
            amount = new CreditIssued.Money(decimalString(money, "amount"), text(money, "currency"));
        }
        Integer extensionDays = p.hasNonNull("extensionDays") ? integer(p, "extensionDays") : null;
        if (amount == null && extensionDays == null) {
            throw new UnreadableEventException("a credit needs 'amount' or 'extensionDays'");
        }
        YearMonth month;
        try {
            month = YearMonth.parse(text(p, "billingMonth"));
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("field 'billingMonth' is not YYYY-MM");
        }
        return new CreditIssued(uuid(p, "eventId"), instant(p, "occurredAt"), uuid(p, "creditId"), text(p, "customerId"),
                text(p, "service"), month, list(p, "incidentIds", node -> parseUuid(asText(node), "incidentIds")),
                number(p, "downtimeMinutes"), number(p, "monthlyUptimePercent"),
                p.hasNonNull("creditPercent") ? number(p, "creditPercent") : null, amount, extensionDays,
                text(p, "policyId"), integer(p, "policyVersion"), text(p, "kind"), instant(p, "issuedAt"));
    }

    private static List<Component> components(JsonNode p) {
        List<Component> components = list(p, "components", node -> new Component(text(node, "service"),
                list(node, "regions", EventReader::asText), text(node, "status")));
        if (components.isEmpty()) {
            throw new UnreadableEventException("field 'components' is empty");
        }
        return components;
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            throw new UnreadableEventException("field '" + field + "' is missing or not a string");
        }
        return value.textValue();
    }

    private static String optionalText(JsonNode node, String field) {
        JsonNode value = node.get(field);
        return value != null && value.isTextual() ? value.textValue() : null;
    }

    private static String asText(JsonNode node) {
        if (!node.isTextual()) {
            throw new UnreadableEventException("a list entry is not a string: " + node);
        }
        return node.textValue();
    }

    private static int integer(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isIntegralNumber() || !value.canConvertToInt()) {
            throw new UnreadableEventException("field '" + field + "' is missing or not an integer");
        }
        return value.intValue();
    }

    private static BigDecimal number(JsonNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isNumber()) {
            throw new UnreadableEventException("field '" + field + "' is missing or not a number");
        }
        return value.decimalValue();
    }

    /** Money travels as a decimal string, never a JSON number (which could have passed through a double). */
    private static BigDecimal decimalString(JsonNode node, String field) {
        try {
            return new BigDecimal(text(node, field));
        } catch (NumberFormatException e) {
            throw new UnreadableEventException("field '" + field + "' is not a decimal string");
        }
    }

    private static UUID uuid(JsonNode node, String field) {
        return parseUuid(text(node, field), field);
    }

    private static UUID parseUuid(String text, String field) {
        try {
            return UUID.fromString(text);
        } catch (IllegalArgumentException e) {
            throw new UnreadableEventException("field '" + field + "' is not a UUID");
        }
    }

    private static Instant instant(JsonNode node, String field) {
        try {
            return Instant.parse(text(node, field));
        } catch (DateTimeParseException e) {
            throw new UnreadableEventException("field '" + field + "' is not an RFC 3339 UTC instant");
        }
    }

    private static <T> List<T> list(JsonNode node, String field, Function<JsonNode, T> entry) {
        JsonNode value = node.get(field);
        if (value == null || !value.isArray()) {
            throw new UnreadableEventException("field '" + field + "' is missing or not a list");
        }
        List<T> entries = new ArrayList<>(value.size());
        value.forEach(element -> entries.add(entry.apply(element)));
        return entries;
    }
}

package dev.incidentplatform.notification.consume;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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

/**
 * Tolerant reader of the CloudEvents records on incident-events and credit-events: reads the JSON payload as a tree,
 * ignores fields it does not know, skips event types (and schema versions) it does not know, and refuses, with a
 * reason, a payload that lacks what its type requires.
 */
@ApplicationScoped
public class EventReader {

    /** The (type, version) pairs this service turns into notices. */
    public static final Set<String> KNOWN_TYPES = Set.of(IncidentOpened.TYPE, UpdatePosted.TYPE, ReviewPublished.TYPE,
            CreditIssued.TYPE);
    private static final int KNOWN_VERSION = 1;

    private final ObjectMapper mapper;

    public EventReader(ObjectMapper mapper) {
        this.mapper = mapper;
    }

    /**
     * @param typeHeader the {@code ce_type} header, or null
     * @return the event, or empty for a type or version this service does not handle (to be skipped)
     * @throws UnreadableEventException when the payload is not JSON or lacks a field its type requires
     */
    public Optional<NotificationEvent> read(String typeHeader, byte[] value) {
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
        String type = typeHeader != null ? typeHeader : optionalText(payload, "eventType");
        if (type == null) {
            throw new UnreadableEventException("neither a ce_type header nor an eventType field says what this is");
        }
        if (!KNOWN_TYPES.contains(type)) {
            return Optional.empty();
        }
        JsonNode version = payload.get("schemaVersion");
        if (version == null || !version.canConvertToInt()) {
            throw new UnreadableEventException("field 'schemaVersion' is missing or not an integer");
        }
        if (version.intValue() != KNOWN_VERSION) {
            return Optional.empty();
        }
        return Optional.of(switch (type) {
            case IncidentOpened.TYPE -> incidentOpened(payload);
            case UpdatePosted.TYPE -> updatePosted(payload);
            case ReviewPublished.TYPE -> reviewPublished(payload);
            case CreditIssued.TYPE -> creditIssued(payload);
            default -> throw new IllegalStateException(type);
        });
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

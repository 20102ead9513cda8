package dev.incidentplatform.incident.api;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.incident.domain.ComponentStatus;
import dev.incidentplatform.incident.domain.Violation;
import dev.incidentplatform.platform.json.StrictJson;
import dev.incidentplatform.platform.json.StrictTimes;
import dev.incidentplatform.platform.json.TextRuleException;
import dev.incidentplatform.platform.json.Texts;
import dev.incidentplatform.platform.problem.JsonProblems;

/**
 * Reads a JSON request body field by field, so that every field that cannot be read is reported by name and why
 * ({@code components[2].status}), instead of the first binding error Jackson meets. Absent and null fields read as
 * null; the aggregate decides what is required.
 */
final class RequestReader {

    private static final ObjectMapper STRICT = StrictJson.configure(JsonMapper.builder().build());
    private static final ObjectMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private final JsonNode root;
    private final List<Violation> violations = new ArrayList<>();

    private RequestReader(JsonNode root) {
        this.root = root;
    }

    /**
     * The body, declared application/json (a body without a concrete type is 415, and the platform has already refused
     * one that is not UTF-8, see platform.http.RequestBodies).
     */
    static RequestReader of(HttpHeaders headers, byte[] body, Set<String> fields) {
        MediaType type;
        try {
            type = headers.getMediaType();
        } catch (IllegalArgumentException unparseable) {
            throw new NotSupportedException();
        }
        if (type == null || !MediaType.APPLICATION_JSON_TYPE.isCompatible(new MediaType(type.getType(), type.getSubtype()))) {
            throw new NotSupportedException();
        }
        if (body == null || body.length == 0) {
            throw new BadRequest("The request has no body; send a JSON object.", List.of());
        }
        JsonNode root;
        try {
            root = STRICT.readTree(body);
        } catch (JsonProcessingException e) {
            throw JsonProblems.of(e);
        } catch (java.io.IOException e) {
            throw new BadRequest("The body could not be read.", List.of());
        }
        if (root == null || !root.isObject()) {
            throw new BadRequest("The body must be a JSON object.", List.of());
        }
        RequestReader reader = new RequestReader(root);
        for (Iterator<String> names = root.fieldNames(); names.hasNext();) {
            String name = names.next();
            if (!fields.contains(name)) {
                reader.violations.add(new Violation(name, "is not a field of this request; known fields: " + fields));
            }
        }
        return reader;
    }

    /** SHA-256 of the method, path and body with sorted keys: the same request however its JSON is laid out. */
    String hash(String method, String path) {
        try {
            Object canonical = CANONICAL.treeToValue(root, Object.class);
            byte[] body = CANONICAL.writeValueAsBytes(canonical);
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest.digest(body));
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    List<Violation> violations() {
        return violations;
    }

    String text(String field) {
        return text(root.get(field), field);
    }

    Integer integer(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.canConvertToInt() || !node.isIntegralNumber()) {
            violations.add(new Violation(field, "must be a whole number"));
            return null;
        }
        return node.intValue();
    }

    <E> E choice(String field, Function<String, Optional<E>> parse, String allowed) {
        String value = text(field);
        return value == null ? null : known(field, value, parse, allowed);
    }

    Instant instant(String field) {
        String value = text(field);
        return value == null ? null : instant(field, value, violations);
    }

    static Instant instant(String field, String value, List<Violation> violations) {
        try {
            return StrictTimes.instant(value);
        } catch (TextRuleException e) {
            violations.add(new Violation(field, e.getMessage() + ": " + Quoted.of(value)));
            return null;
        }
    }

    List<String> texts(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            violations.add(new Violation(field, "must be a list of strings"));
            return null;
        }
        List<String> values = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            values.add(element(node.get(i), field + "[" + i + "]"));
        }
        return values;
    }

    List<Component> components(String field) {
        JsonNode node = root.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isArray()) {
            violations.add(new Violation(field, "must be a list of {service, regions, status}"));
            return null;
        }
        List<Component> components = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String prefix = field + "[" + i + "]";
            JsonNode entry = node.get(i);
            if (!entry.isObject()) {
                violations.add(new Violation(prefix, "must be an object {service, regions, status}"));
                components.add(null);
                continue;
            }
            for (Iterator<String> names = entry.fieldNames(); names.hasNext();) {
                String name = names.next();
                if (!Set.of("service", "regions", "status").contains(name)) {
                    violations.add(new Violation(prefix + "." + name, "is not a field of a component (service, regions, status)"));
                }
            }
            String service = text(entry.get("service"), prefix + ".service");
            List<String> regions = null;
            JsonNode regionNode = entry.get("regions");
            if (regionNode != null && !regionNode.isNull()) {
                if (!regionNode.isArray()) {
                    violations.add(new Violation(prefix + ".regions", "must be [\"global\"] or a list of regions"));
                } else {
                    regions = new ArrayList<>();
                    for (int j = 0; j < regionNode.size(); j++) {
                        regions.add(element(regionNode.get(j), prefix + ".regions[" + j + "]"));
                    }
                }
            }
            String statusText = text(entry.get("status"), prefix + ".status");
            ComponentStatus status = statusText == null ? null : known(prefix + ".status", statusText, ComponentStatus::parse,
                    "operational, degraded_performance, partial_outage, major_outage, under_maintenance");
            components.add(new Component(service, regions, status));
        }
        return components;
    }

    private String text(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            violations.add(new Violation(field, "must be a string"));
            return null;
        }
        String violation = Texts.violation(node.textValue());
        if (violation != null) {
            violations.add(new Violation(field, violation));
            return null;
        }
        return node.textValue();
    }

    /** A string inside a list, where null is not a value. */
    private String element(JsonNode node, String field) {
        if (node == null || node.isNull()) {
            violations.add(new Violation(field, "must not be null"));
            return null;
        }
        return text(node, field);
    }

    private <E> E known(String field, String value, Function<String, Optional<E>> parse, String allowed) {
        Optional<E> parsed = parse.apply(value);
        if (parsed.isEmpty()) {
            violations.add(new Violation(field, "must be one of " + allowed + ": " + Quoted.of(value)));
            return null;
        }
        return parsed.get();
    }
}

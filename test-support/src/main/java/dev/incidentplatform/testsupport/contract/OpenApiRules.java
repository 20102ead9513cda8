package dev.incidentplatform.testsupport.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a generated client needs from an OpenAPI document, checked on the document a service serves: every operation
 * has an operationId and tags; no request or response body has an empty schema; every error status is
 * application/problem+json with the shared Problem schema; public operations say {@code security: []}.
 */
public final class OpenApiRules {

    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

    private OpenApiRules() {
    }

    /** Every breach of the rules, one line each; empty when the document keeps them. */
    public static List<String> violations(String document, Set<String> publicPaths) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<String> violations = new ArrayList<>();
        if (!root.path("components").path("schemas").has("Problem")) {
            violations.add("components.schemas has no Problem schema");
        }
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext();) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!METHODS.contains(op.getKey())) {
                    continue;
                }
                String where = op.getKey().toUpperCase() + " " + path.getKey();
                check(where, op.getValue(), publicPaths.contains(path.getKey()), violations);
            }
        }
        return violations;
    }

    private static void check(String where, JsonNode op, boolean isPublic, List<String> violations) {
        if (op.path("operationId").asText("").isBlank()) {
            violations.add(where + ": no operationId");
        }
        if (!op.path("tags").isArray() || op.path("tags").isEmpty()) {
            violations.add(where + ": no tags");
        }
        if (isPublic && !(op.has("security") && op.get("security").isArray() && op.get("security").isEmpty())) {
            violations.add(where + ": public, but does not say security: []");
        }
        for (Iterator<Map.Entry<String, JsonNode>> types = op.path("requestBody").path("content").fields(); types.hasNext();) {
            Map.Entry<String, JsonNode> type = types.next();
            if (empty(type.getValue().path("schema"))) {
                violations.add(where + ": request body " + type.getKey() + " has an empty schema");
            }
        }
        JsonNode responses = op.path("responses");
        if (responses.isEmpty()) {
            violations.add(where + ": no responses");
        }
        for (Iterator<Map.Entry<String, JsonNode>> statuses = responses.fields(); statuses.hasNext();) {
            Map.Entry<String, JsonNode> status = statuses.next();
            JsonNode content = status.getValue().path("content");
            boolean error = status.getKey().startsWith("4") || status.getKey().startsWith("5");
            if (error) {
                JsonNode problem = content.path("application/problem+json").path("schema");
                if (!problem.path("$ref").asText("").endsWith("/Problem")) {
                    violations.add(where + ": " + status.getKey() + " is not application/problem+json with the Problem schema");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> types = content.fields(); types.hasNext();) {
                Map.Entry<String, JsonNode> type = types.next();
                if (empty(type.getValue().path("schema"))) {
                    violations.add(where + ": response " + status.getKey() + " " + type.getKey() + " has an empty schema");
                }
            }
        }
    }

    private static boolean empty(JsonNode schema) {
        return schema.isMissingNode() || schema.isEmpty();
    }
}

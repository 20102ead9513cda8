package dev.incidentplatform.deploy.validation;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One rendered overlay of deploy/k8s (rendered once per test JVM) and its manifests by kind. The rule tests read
 * the manifests as trees; {@link ManifestModels} has already held each to its model.
 */
record Overlay(String name, List<JsonNode> manifests) {

    private static final Map<String, Overlay> RENDERED = new ConcurrentHashMap<>();

    static Overlay of(String name) {
        return RENDERED.computeIfAbsent(name,
                overlay -> new Overlay(overlay, Kustomize.render(Repository.path("deploy/k8s/overlays/" + overlay))));
    }

    List<JsonNode> ofKind(String kind) {
        return manifests.stream().filter(manifest -> manifest.path("kind").asText().equals(kind)).toList();
    }

    JsonNode named(String kind, String manifestName) {
        return ofKind(kind).stream().filter(manifest -> name(manifest).equals(manifestName)).findFirst()
                .orElseThrow(() -> new AssertionError(name + " renders no " + kind + " " + manifestName));
    }

    static String name(JsonNode manifest) {
        return manifest.path("metadata").path("name").asText();
    }

    static Map<String, String> strings(JsonNode object) {
        Map<String, String> map = new HashMap<>();
        object.fields().forEachRemaining(field -> map.put(field.getKey(), field.getValue().asText()));
        return map;
    }

    /** The pod labels of a Deployment's template. */
    static Map<String, String> podLabels(JsonNode deployment) {
        return strings(deployment.path("spec").path("template").path("metadata").path("labels"));
    }

    /** Whether a label selector selects these labels. Only matchLabels is used here; matchExpressions are refused. */
    static boolean selects(JsonNode selector, Map<String, String> labels) {
        if (selector.has("matchExpressions")) {
            throw new AssertionError("matchExpressions are not evaluated by these tests: " + selector);
        }
        return strings(selector.path("matchLabels")).entrySet().stream()
                .allMatch(entry -> entry.getValue().equals(labels.get(entry.getKey())));
    }
}

package dev.incidentplatform.platform.problem;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The methods a path allows, for the Allow header of a 405 (RFC 9110 §15.5.6 requires it; RESTEasy Reactive sends
 * none), read from the OpenAPI document Quarkus generates at build time, which lists every operation of the service.
 */
final class AllowedMethods {

    private static final String DOCUMENT = "META-INF/quarkus-generated-openapi-doc.JSON";
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static volatile List<Map.Entry<Pattern, Set<String>>> paths;

    private AllowedMethods() {
    }

    /** The methods of the documented path that matches {@code rawPath}, e.g. "GET, POST"; empty if none matches. */
    static String of(String rawPath) {
        for (Map.Entry<Pattern, Set<String>> path : paths()) {
            if (path.getKey().matcher(rawPath).matches()) {
                return String.join(", ", path.getValue());
            }
        }
        return "";
    }

    private static List<Map.Entry<Pattern, Set<String>>> paths() {
        List<Map.Entry<Pattern, Set<String>>> known = paths;
        if (known == null) {
            known = load();
            paths = known;
        }
        return known;
    }

    private static List<Map.Entry<Pattern, Set<String>>> load() {
        List<Map.Entry<Pattern, Set<String>>> result = new ArrayList<>();
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(DOCUMENT)) {
            if (in == null) {
                return result;
            }
            JsonNode documented = new ObjectMapper().readTree(in).path("paths");
            for (Iterator<Map.Entry<String, JsonNode>> it = documented.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> path = it.next();
                Set<String> methods = new TreeSet<>();
                path.getValue().fieldNames().forEachRemaining(name -> {
                    if (METHODS.contains(name)) {
                        methods.add(name.toUpperCase(Locale.ROOT));
                    }
                });
                if (methods.contains("GET")) {
                    methods.add("HEAD");
                }
                String regex = Pattern.quote(path.getKey()).replaceAll("\\{[^/}]+}", "\\\\E[^/]+\\\\Q");
                result.add(Map.entry(Pattern.compile(regex), methods));
            }
        } catch (IOException e) {
            // Without the document a 405 still says what happened; only the Allow header is missing.
        }
        return result;
    }
}

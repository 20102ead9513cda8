package dev.incidentplatform.testsupport.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Runs a service's hostile-input cases (a JSON data file on the test classpath) against the running service over a
 * raw socket, and holds every answer to the API's word: a 4xx, RFC 9457 problem+json with type, title, status and
 * detail, nothing in it that betrays the implementation (a class name, a stack trace, SQL), an answer the service's
 * OpenAPI document describes, and no change to the service's state.
 *
 * <p>The file is {@code {"cases": [case, ...]}}; a case has {@code name}, {@code category}, {@code method},
 * {@code path} (raw, sent as is), {@code role} (the token to send: a role the target knows, or none), {@code headers},
 * a body as {@code body} (text), {@code bodyBase64} or {@code bodyRepeat} ({@code head}, {@code unit} repeated
 * {@code times}, {@code tail}), optionally {@code status} (the exact status expected), {@code detailContains} (what
 * the problem's detail must say, such as the field's name) and {@code each} (a list of
 * values: the case runs once per value, with {@code ${each}} replaced in path, headers and body). {@code ${name}} is
 * replaced by the target's variables (an existing resource's id, say) and {@code ${uuid}} by a fresh UUID.
 */
public final class HostileSuite {

    /** The service under attack. */
    public interface Target {

        URI base();

        /** The bearer token for a role named in the cases, or null to send none. */
        String token(String role);

        /** Everything a refused request must leave as it was: table row counts, topic end offsets. */
        Map<String, Long> state();

        /** Values for ${name} in the cases (the id of an existing resource, say). */
        default Map<String, String> variables() {
            return Map.of();
        }
    }

    public record Case(String name, String category, String method, String path, String role, Map<String, String> headers,
            byte[] body, Integer status, String detailContains) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int TIMEOUT_MILLIS = 60_000;

    private HostileSuite() {
    }

    /** One dynamic test per case of the file. */
    public static Stream<DynamicTest> run(String resource, Target target) {
        List<Case> cases = load(resource, target.variables());
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.category() + ": " + c.name(), () -> check(c, target)));
    }

    public static List<Case> load(String resource, Map<String, String> variables) {
        try (InputStream in = Thread.currentThread().getContextClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("No " + resource + " on the test classpath");
            }
            JsonNode root = JSON.readTree(in);
            List<Case> cases = new ArrayList<>();
            Set<String> names = new HashSet<>();
            for (JsonNode node : root.get("cases")) {
                List<String> values = new ArrayList<>();
                if (node.has("each")) {
                    node.get("each").forEach(v -> values.add(v.asText()));
                } else {
                    values.add(null);
                }
                for (int i = 0; i < values.size(); i++) {
                    Case c = expand(node, values.get(i), variables, values.size() > 1 ? " #" + (i + 1) : "");
                    if (!names.add(c.category() + ": " + c.name())) {
                        throw new IllegalArgumentException("Two cases are named " + c.name());
                    }
                    cases.add(c);
                }
            }
            return cases;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Case expand(JsonNode node, String each, Map<String, String> variables, String suffix) {
        Map<String, String> headers = new LinkedHashMap<>();
        if (node.has("headers")) {
            node.get("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), substitute(h.getValue().asText(), each, variables)));
        }
        byte[] body = null;
        if (node.has("body")) {
            body = substitute(node.get("body").asText(), each, variables).getBytes(StandardCharsets.UTF_8);
        } else if (node.has("bodyBase64")) {
            body = Base64.getDecoder().decode(node.get("bodyBase64").asText());
        } else if (node.has("bodyRepeat")) {
            JsonNode repeat = node.get("bodyRepeat");
            String unit = substitute(repeat.get("unit").asText(), each, variables);
            body = (substitute(repeat.path("head").asText(""), each, variables) + unit.repeat(repeat.get("times").asInt())
                    + substitute(repeat.path("tail").asText(""), each, variables)).getBytes(StandardCharsets.UTF_8);
        }
        return new Case(node.get("name").asText() + suffix, node.get("category").asText(), node.get("method").asText(),
                substitute(node.get("path").asText(), each, variables), node.path("role").asText(null), headers, body,
                node.has("status") ? node.get("status").asInt() : null,
                node.has("detailContains") ? node.get("detailContains").asText() : null);
    }

    private static String substitute(String text, String each, Map<String, String> variables) {
        String result = each == null ? text : text.replace("${each}", each);
        for (Map.Entry<String, String> variable : variables.entrySet()) {
            result = result.replace("${" + variable.getKey() + "}", variable.getValue());
        }
        while (result.contains("${uuid}")) {
            result = result.replaceFirst("\\$\\{uuid\\}", UUID.randomUUID().toString());
        }
        return result;
    }

    static void check(Case c, Target target) throws IOException {
        Map<String, Long> before = target.state();
        Map<String, String> headers = new LinkedHashMap<>();
        String token = c.role() == null ? null : target.token(c.role());
        if (token != null) {
            headers.put("Authorization", "Bearer " + token);
        }
        headers.putAll(c.headers());
        RawHttp.Answer answer = RawHttp.send(target.base(), c.method(), c.path(), headers, c.body(), TIMEOUT_MILLIS);
        String context = c.method() + " " + abbreviate(c.path()) + " answered " + answer.status() + ": " + abbreviate(answer.body());

        if (c.status() != null) {
            assertThat(answer.status()).as(context).isEqualTo(c.status());
        }
        assertThat(answer.status()).as(context).isBetween(400, 499);
        if (!c.method().equals("HEAD")) {
            JsonNode problem = ProblemAnswers.assertProblem(context, answer);
            if (c.detailContains() != null) {
                assertThat(problem.path("detail").asText("")).as(context + " (detail)").contains(c.detailContains());
            }
        }
        String path = c.path();
        int question = path.indexOf('?');
        String rawPath = question < 0 ? path : path.substring(0, question);
        if (OpenApiContract.isApiPath(rawPath) && rawPath.startsWith("/")) {
            OpenApiContract.of(target.base()).check(c.method(), rawPath, Map.of(), answer.status(), answer.headers(),
                    answer.body(), true);
        }
        assertThat(target.state()).as("state after " + context).isEqualTo(before);
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 300 ? text : text.substring(0, 300) + "...";
    }
}

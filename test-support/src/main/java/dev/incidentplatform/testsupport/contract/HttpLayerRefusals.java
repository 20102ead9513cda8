package dev.incidentplatform.testsupport.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The refusals of the HTTP layer, which happen before any resource of a service runs, each as RFC 9457 problem+json:
 * 414 for a long URL, 431 for large headers, 413 for a body over the endpoint's limit (announced or chunked), 405 with
 * Allow, 406, 415 for a missing or wrong Content-Type, and 400 for a path that is not a legal URI. (A request line that
 * Netty's decoder itself refuses, such as one with a raw '{' or a '%' without two hex digits, or longer than quarkus.http.limits.max-initial-line-length,
 * gets Vert.x's bare 400/414 before any handler can answer; no hook for it exists.)
 */
public final class HttpLayerRefusals {

    private static final ObjectMapper JSON = new ObjectMapper();

    private HttpLayerRefusals() {
    }

    /**
     * @param jsonPost a path that takes a JSON POST with {@code token}; {@code bodyLimit} is its body limit in bytes
     * @param jsonGet a path that answers GET with JSON to {@code token}
     */
    public static void assertAllAreProblems(URI base, String token, String jsonPost, long bodyLimit, String jsonGet) {
        Map<String, String> auth = Map.of("Authorization", "Bearer " + token);

        problem(send(base, "GET", jsonGet + "?filler=" + "a".repeat(9000), auth, null), 414);
        Map<String, String> large = new LinkedHashMap<>(auth);
        for (int i = 0; i < 4; i++) {
            large.put("X-Filler-" + i, "b".repeat(5000));
        }
        problem(send(base, "GET", jsonGet, large, null), 431);

        Map<String, String> json = new LinkedHashMap<>(auth);
        json.put("Content-Type", "application/json");
        byte[] oversized = ("{\"filler\":\"" + "c".repeat((int) bodyLimit) + "\"}").getBytes(StandardCharsets.UTF_8);
        problem(send(base, "POST", jsonPost, json, oversized), 413);
        Map<String, String> chunked = new LinkedHashMap<>(json);
        chunked.put("Transfer-Encoding", "chunked");
        problem(send(base, "POST", jsonPost, chunked, chunk(oversized)), 413);

        RawHttp.Answer notAllowed = problem(send(base, "PATCH", jsonPost, json, "{}".getBytes(StandardCharsets.UTF_8)), 405);
        assertThat(notAllowed.header("allow")).as("Allow of a 405").isNotBlank();
        Map<String, String> plainOnly = new LinkedHashMap<>(auth);
        plainOnly.put("Accept", "text/plain");
        problem(send(base, "GET", jsonGet, plainOnly, null), 406);

        problem(send(base, "POST", jsonPost, auth, "{}".getBytes(StandardCharsets.UTF_8)), 415);
        Map<String, String> xml = new LinkedHashMap<>(auth);
        xml.put("Content-Type", "application/xml");
        problem(send(base, "POST", jsonPost, xml, "<a/>".getBytes(StandardCharsets.UTF_8)), 415);

        problem(send(base, "GET", jsonGet + "/%00", auth, null), 400);
        problem(send(base, "GET", jsonGet + "/%7B%7D", auth, null), 404);
        problem(send(base, "GET", jsonGet + "/%ED%A0%80", Map.of(), null), 400);
    }

    private static RawHttp.Answer send(URI base, String method, String target, Map<String, String> headers, byte[] body) {
        try {
            return RawHttp.send(base, method, target, headers, body, 30_000);
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + target.substring(0, Math.min(80, target.length())), e);
        }
    }

    private static RawHttp.Answer problem(RawHttp.Answer answer, int status) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("content-type")).as("Content-Type of a " + status + " " + answer.headers())
                .startsWith("application/problem+json");
        try {
            JsonNode problem = JSON.readTree(answer.body());
            assertThat(problem.path("status").asInt()).isEqualTo(status);
            assertThat(problem.path("title").asText()).isNotBlank();
            assertThat(problem.path("detail").asText()).isNotBlank();
        } catch (IOException e) {
            throw new AssertionError("Not JSON: " + answer.body(), e);
        }
        return answer;
    }

    /** The body as chunks of 8 KiB with the terminating chunk, for Transfer-Encoding: chunked. */
    private static byte[] chunk(byte[] body) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(body.length + 1024);
        for (int offset = 0; offset < body.length; offset += 8192) {
            int length = Math.min(8192, body.length - offset);
            out.writeBytes((Integer.toHexString(length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(body, offset, length);
            out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        }
        out.writeBytes("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }
}

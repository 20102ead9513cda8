package dev.incidentplatform.testsupport.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The refusals of the HTTP layer, which happen before any resource of a service runs, each as RFC 9457 problem+json:
 * 414 for a long URL, 431 for large headers, 413 for a body over the endpoint's limit (announced or chunked), 405 with
 * Allow, 406, 415 for a missing or wrong Content-Type, and 400 for a path that is not a legal URI, including what
 * Netty's decoder refuses before any handler runs (a raw '{', a broken %-escape, a URL or headers over its limits).
 */
public final class HttpLayerRefusals {

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

        // Refused by Netty's decoder itself, before any handler of the service: still problems (platform BareRefusals).
        problem(send(base, "GET", jsonGet + "/a{b}", auth, null), 400);
        problem(send(base, "GET", jsonGet + "/%zz", auth, null), 400);
        problem(send(base, "GET", jsonGet + "?filler=" + "d".repeat(40_000), auth, null), 414);
        Map<String, String> huge = new LinkedHashMap<>(auth);
        for (int i = 0; i < 14; i++) {
            huge.put("X-Huge-" + i, "e".repeat(5000));
        }
        problem(send(base, "GET", jsonGet, huge, null), 431);
        Map<String, String> badLength = new LinkedHashMap<>(json);
        badLength.put("Content-Length", "ten");
        problem(send(base, "POST", jsonPost, badLength, "{}".getBytes(StandardCharsets.UTF_8)), 400);
    }

    /**
     * A client that sends its request head a byte at a time (slowloris) is answered 408 problem+json and cut off once
     * {@code deadline} has passed, however steadily it sends.
     */
    public static void assertSlowRequestHeadIsCutOff(URI base, Duration deadline) {
        long started = System.nanoTime();
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) deadline.multipliedBy(4).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("GET /q/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            long stop = started + deadline.multipliedBy(3).toNanos();
            while (System.nanoTime() < stop && in.available() == 0) {
                try {
                    out.write('a');
                    out.flush();
                } catch (IOException closed) {
                    break;
                }
                Thread.sleep(deadline.toMillis() / 8 + 1);
            }
            String answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Duration took = Duration.ofNanos(System.nanoTime() - started);
            assertThat(answer).as("the answer to a slow request head").startsWith("HTTP/1.1 408")
                    .contains("application/problem+json").contains("\"status\":408");
            assertThat(took).as("time until cut off").isGreaterThanOrEqualTo(deadline).isLessThan(deadline.multipliedBy(3));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
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
        ProblemAnswers.assertProblem("a " + status, answer);
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

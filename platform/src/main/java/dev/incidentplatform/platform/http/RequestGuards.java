package dev.incidentplatform.platform.http;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.HttpHeaders;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import dev.incidentplatform.platform.json.Texts;
import dev.incidentplatform.platform.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Before any resource runs: the path and query are well-formed percent-encoded UTF-8 and, decoded, follow the text
 * rules (no NUL, no unpaired surrogate, no control character); a body comes with a Content-Type (else 415); the
 * headers the services read have their syntax; an invalid {@code traceparent} is dropped (W3C Trace Context: a
 * receiver ignores one it cannot parse). The raw request line is read from Vert.x, so that nothing here parses a URI
 * that may not be one.
 */
public class RequestGuards {

    @ServerRequestFilter(preMatching = true)
    public void guard(ContainerRequestContext context, HttpServerRequest request) {
        String path = decode("path", request.path(), false);
        String pathViolation = path == null ? null : Texts.violation(path);
        if (pathViolation != null) {
            throw ProblemException.field("path", pathViolation);
        }
        String query = request.query();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&", -1)) {
                int equals = pair.indexOf('=');
                String name = decode("query", equals < 0 ? pair : pair.substring(0, equals), true);
                String value = equals < 0 ? "" : decode(name, pair.substring(equals + 1), true);
                String violation = Texts.violation(name);
                if (violation != null) {
                    throw ProblemException.field("query", "a parameter name " + violation);
                }
                violation = Texts.violation(value);
                if (violation != null) {
                    throw ProblemException.field(name, violation);
                }
            }
        }
        if (context.getHeaderString(HttpHeaders.CONTENT_TYPE) == null && hasBody(request)) {
            // JAX-RS would read it as whatever the endpoint consumes; a client must say what it sends.
            throw new ProblemException(415, "The request has a body but no Content-Type; send application/json (text/csv"
                    + " to an import), as /q/openapi says.");
        }
        RequestHeaders.idempotencyKey(context.getHeaderString(RequestHeaders.IDEMPOTENCY_KEY));
        RequestHeaders.correlationId(RequestHeaders.CORRELATION_ID, context.getHeaderString(RequestHeaders.CORRELATION_ID));
        RequestHeaders.correlationId(RequestHeaders.REQUEST_ID, context.getHeaderString(RequestHeaders.REQUEST_ID));
        String traceparent = context.getHeaderString(RequestHeaders.TRACEPARENT);
        if (traceparent != null && RequestHeaders.traceparent(traceparent) == null) {
            context.getHeaders().remove(RequestHeaders.TRACEPARENT);
        }
    }

    private static boolean hasBody(HttpServerRequest request) {
        String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
        return request.getHeader("Transfer-Encoding") != null || (length != null && !length.trim().equals("0"));
    }

    /**
     * Decodes a raw path or query part; 400 when it holds a character that must be percent-encoded, a '%' not followed
     * by two hex digits, or bytes that are not UTF-8.
     */
    static String decode(String field, String raw, boolean plusIsSpace) {
        if (raw == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int high = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 1), 16) : -1;
                int low = i + 2 < raw.length() ? Character.digit(raw.charAt(i + 2), 16) : -1;
                if (high < 0 || low < 0) {
                    throw ProblemException.field(field, "has a '%' that is not followed by two hex digits");
                }
                bytes.write(high * 16 + low);
                i += 2;
            } else if (c > 0x20 && c < 0x7F && "\"<>\\^`{|}".indexOf(c) < 0) {
                bytes.write(plusIsSpace && c == '+' ? ' ' : c);
            } else {
                throw ProblemException.field(field, "has a character that must be percent-encoded");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw ProblemException.field(field, "is not well-formed percent-encoded UTF-8");
        }
    }
}

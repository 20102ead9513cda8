package dev.incidentplatform.incident.api;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.incidentplatform.incident.service.RequestContext;

/**
 * The context recorded with each event: the token's principal (its {@code upn}), the caller's X-Correlation-Id (or a
 * new one), this request's id as causation, and the W3C {@code traceparent} when there is one.
 */
@RequestScoped
public class RequestContexts {

    static final String CORRELATION_ID = "X-Correlation-Id";
    static final String REQUEST_ID = "X-Request-Id";
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    private static final int MAX_HEADER = 200;

    private final JsonWebToken token;

    public RequestContexts(JsonWebToken token) {
        this.token = token;
    }

    RequestContext of(HttpHeaders headers, String idempotencyKey, String requestHash) {
        String correlationId = bounded(headers.getHeaderString(CORRELATION_ID), CORRELATION_ID);
        String requestId = bounded(headers.getHeaderString(REQUEST_ID), REQUEST_ID);
        return new RequestContext(token.getName(), correlationId != null ? correlationId : UUID.randomUUID().toString(),
                requestId != null ? requestId : "request-" + UUID.randomUUID(), headers.getHeaderString("traceparent"),
                idempotencyKey, requestHash);
    }

    static String idempotencyKey(HttpHeaders headers) {
        return bounded(headers.getHeaderString(IDEMPOTENCY_KEY), IDEMPOTENCY_KEY);
    }

    private static String bounded(String value, String header) {
        if (value == null) {
            return null;
        }
        if (value.isBlank() || value.length() > MAX_HEADER) {
            throw BadRequest.field(header, "must be 1 to " + MAX_HEADER + " characters");
        }
        return value.strip();
    }
}

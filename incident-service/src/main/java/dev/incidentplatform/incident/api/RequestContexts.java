package dev.incidentplatform.incident.api;

import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.core.HttpHeaders;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.incidentplatform.incident.service.RequestContext;
import dev.incidentplatform.platform.http.RequestHeaders;

/**
 * The context recorded with each event: the token's principal (its {@code upn}), the caller's X-Correlation-Id (or a
 * new one), this request's id as causation, and the W3C {@code traceparent} when there is one.
 */
@RequestScoped
public class RequestContexts {

    private final JsonWebToken token;

    public RequestContexts(JsonWebToken token) {
        this.token = token;
    }

    RequestContext of(HttpHeaders headers, String idempotencyKey, String requestHash) {
        String correlationId = RequestHeaders.correlationId(RequestHeaders.CORRELATION_ID,
                headers.getHeaderString(RequestHeaders.CORRELATION_ID));
        String requestId = RequestHeaders.correlationId(RequestHeaders.REQUEST_ID, headers.getHeaderString(RequestHeaders.REQUEST_ID));
        return new RequestContext(token.getName(), correlationId != null ? correlationId : UUID.randomUUID().toString(),
                requestId != null ? requestId : "request-" + UUID.randomUUID(),
                RequestHeaders.traceparent(headers.getHeaderString(RequestHeaders.TRACEPARENT)), idempotencyKey, requestHash);
    }

    static String idempotencyKey(HttpHeaders headers) {
        return RequestHeaders.idempotencyKey(headers.getHeaderString(RequestHeaders.IDEMPOTENCY_KEY));
    }
}

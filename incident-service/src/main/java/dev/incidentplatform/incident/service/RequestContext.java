package dev.incidentplatform.incident.service;

/**
 * Who asks and in which request: recorded in every event's metadata and envelope. {@code idempotencyKey} and
 * {@code requestHash} are null when the client sent no Idempotency-Key.
 */
public record RequestContext(String actor, String correlationId, String requestId, String traceparent,
        String idempotencyKey, String requestHash) {
}

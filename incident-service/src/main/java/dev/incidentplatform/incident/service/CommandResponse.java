package dev.incidentplatform.incident.service;

/** The HTTP answer to a command, kept as is for an Idempotency-Key retry. */
public record CommandResponse(int status, String location, String etag, String body) {
}

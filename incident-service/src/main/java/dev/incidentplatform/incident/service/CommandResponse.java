package dev.incidentplatform.incident.service;

/** The HTTP answer to a command, kept as is for an Idempotency-Key retry; {@code replayed} when it is that retry's. */
public record CommandResponse(int status, String location, String etag, String body, boolean replayed) {

    public CommandResponse(int status, String location, String etag, String body) {
        this(status, location, etag, body, false);
    }
}

package dev.incidentplatform.platform.idempotency;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import dev.incidentplatform.platform.http.RequestHeaders;

/**
 * The answer to a request that changed something, as it was sent, so that a retry with the same Idempotency-Key gets
 * exactly these bytes back; {@code replayed} when it is that retry's.
 */
public record StoredResponse(int status, String location, String etag, String body, boolean replayed) {

    public StoredResponse(int status, String location, String etag, String body) {
        this(status, location, etag, body, false);
    }

    /** The answer as sent, with {@code Idempotent-Replayed: true} on a replay. */
    public Response toResponse() {
        Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
        if (location != null) {
            // As a header, not Response.location(): JAX-RS would make it absolute from the request's Host header,
            // which the client controls. A relative reference is what RFC 9110 allows and what these APIs send.
            response.header(HttpHeaders.LOCATION, location);
        }
        if (etag != null) {
            response.header(HttpHeaders.ETAG, etag);
        }
        if (replayed) {
            response.header(RequestHeaders.IDEMPOTENT_REPLAYED, "true");
        }
        return response.build();
    }
}

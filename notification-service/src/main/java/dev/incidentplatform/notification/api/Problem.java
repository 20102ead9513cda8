package dev.incidentplatform.notification.api;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import com.fasterxml.jackson.annotation.JsonInclude;

/** An RFC 9457 problem detail; {@code errors} names each offending field and why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(URI type, String title, int status, String detail, URI instance, List<FieldError> errors) {

    public static final String MEDIA_TYPE = "application/problem+json";

    /** What is wrong with one field; {@code line} names the CSV line (1 = the header) for imports. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record FieldError(String field, String reason, Long line) {

        public FieldError(String field, String reason) {
            this(field, reason, null);
        }
    }

    public Problem(URI type, String title, int status, String detail, URI instance) {
        this(type, title, status, detail, instance, null);
    }

    public static Problem of(Response.Status status, String detail, UriInfo uri) {
        return new Problem(URI.create("about:blank"), status.getReasonPhrase(), status.getStatusCode(), detail,
                URI.create(uri.getPath()));
    }

    public static Problem invalid(Response.Status status, String detail, UriInfo uri, List<FieldError> errors) {
        return new Problem(URI.create("about:blank"), status.getReasonPhrase(), status.getStatusCode(), detail,
                URI.create(uri.getPath()), errors);
    }

    public Response toResponse() {
        return Response.status(status).type(MEDIA_TYPE).entity(this).build();
    }
}

package dev.incidentplatform.platform.problem;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem detail, the body of every refusal of every service. {@code errors} names each offending field
 * and the rule it breaks; {@code errorCount} says how many there were when {@code errors} lists only the first ones.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "Problem", description = "RFC 9457 problem details (see platform.openapi.ProblemResponses)")
public record Problem(
        @Schema(required = true, description = "about:blank: the status says what happened") String type,
        @Schema(required = true, description = "The status's reason phrase") String title,
        @Schema(required = true, minimum = "400", maximum = "599") int status,
        @Schema(required = true, description = "What was wrong and what to do; nothing was changed by a refused request") String detail,
        @Schema(description = "The path that was requested, percent-encoded") String instance,
        @Schema(description = "Each offending field and the rule it breaks") List<FieldError> errors,
        @Schema(description = "How many errors there were in all, when errors lists only the first ones") Long errorCount) {

    public static final String MEDIA_TYPE = "application/problem+json";
    public static final String TYPE = "about:blank";

    /** One offending field ({@code components[2].status}, a header, a query parameter) and why; line for CSV. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "FieldError")
    public record FieldError(@Schema(required = true) String field, @Schema(required = true) String reason,
            @Schema(description = "The line of an imported file, from 1 (the header)") Long line) {

        public FieldError(String field, String reason) {
            this(field, reason, null);
        }
    }

    public static Problem of(int status, String detail, String instance) {
        return new Problem(TYPE, title(status), status, detail, instance, null, null);
    }

    public static Problem of(int status, String detail, String instance, List<FieldError> errors, Long errorCount) {
        return new Problem(TYPE, title(status), status, detail, instance, errors == null || errors.isEmpty() ? null
                : List.copyOf(errors), errorCount);
    }

    public Response toResponse() {
        return toResponse(Map.of());
    }

    public Response toResponse(Map<String, String> headers) {
        Response.ResponseBuilder response = Response.status(status).type(MEDIA_TYPE).entity(this);
        headers.forEach(response::header);
        return response.build();
    }

    /** RFC 9110's reason phrases, including those JAX-RS has no constant for (422, 429, 431). */
    public static String title(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 410 -> "Gone";
            case 411 -> "Length Required";
            case 412 -> "Precondition Failed";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 422 -> "Unprocessable Content";
            case 428 -> "Precondition Required";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal Server Error";
            case 503 -> "Service Unavailable";
            default -> {
                Response.Status known = Response.Status.fromStatusCode(status);
                yield known != null ? known.getReasonPhrase() : "HTTP " + status;
            }
        };
    }
}

package dev.incidentplatform.platform.problem;

import java.util.Map;

import jakarta.ws.rs.NotAcceptableException;
import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.InvalidNullException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Every refusal that JAX-RS sees leaves as RFC 9457 problem+json: a detail that helps, the offending fields, no stack
 * trace, no class name, no SQL. A database that cannot be reached is 503 with Retry-After (the request changed
 * nothing); anything else unexpected is 500 and logged. Services add mappers only for their own domain's refusals.
 */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);
    /** Seconds a client should wait before retrying while the database is unreachable (the pool reconnects at once). */
    static final String RETRY_AFTER_SECONDS = "2";

    @ServerExceptionMapper
    public Response problem(ProblemException e, HttpServerRequest request) {
        return e.problem(instance(request)).toResponse(e.headers());
    }

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, HttpServerRequest request) {
        return unauthenticated(request);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, HttpServerRequest request) {
        return unauthenticated(request);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, HttpServerRequest request) {
        return Problem.of(403, "Your token does not carry a role that may do this.", instance(request)).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, HttpServerRequest request) {
        return Problem.of(404, "There is nothing at this path; the OpenAPI document at /q/openapi lists what there is.",
                instance(request)).toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, HttpServerRequest request) {
        String allowed = e.getResponse().getAllowedMethods().isEmpty() ? AllowedMethods.of(request.path())
                : String.join(", ", e.getResponse().getAllowedMethods());
        return Problem.of(405, "This resource allows " + allowed + ".", instance(request))
                .toResponse(Map.of(HttpHeaders.ALLOW, allowed));
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, HttpServerRequest request) {
        String sent = request.getHeader(HttpHeaders.CONTENT_TYPE);
        return Problem.of(415, (sent == null ? "The request has no Content-Type" : "This endpoint does not read "
                + abbreviate(sent)) + "; send application/json (text/csv to an import), as /q/openapi says.",
                instance(request)).toResponse();
    }

    @ServerExceptionMapper
    public Response notAcceptable(NotAcceptableException e, HttpServerRequest request) {
        return Problem.of(406, "This resource cannot answer in any type the Accept header allows; see /q/openapi for"
                + " the types it produces.", instance(request)).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, HttpServerRequest request) {
        // RESTEasy's JSON reader wraps some of Jackson's exceptions (a duplicate key, say) in a 400 of its own.
        Response wrapped = wrappedRefusal(e, request);
        if (wrapped != null) {
            return wrapped;
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.errorf(e, "Request %s failed", instance(request));
            return Problem.of(status, "The request failed on our side; it has been logged.", instance(request)).toResponse();
        }
        return Problem.of(status, "The request was refused (" + Problem.title(status) + "); nothing was changed.",
                instance(request)).toResponse();
    }

    // Jackson's exceptions, each type declared: Quarkus has its own mappers for some of them, which would otherwise win.

    @ServerExceptionMapper
    public Response json(JsonProcessingException e, HttpServerRequest request) {
        return problem(JsonProblems.of(e), request);
    }

    @ServerExceptionMapper
    public Response jsonParse(JsonParseException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonMapping(JsonMappingException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonMismatch(MismatchedInputException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonFormat(InvalidFormatException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonNull(InvalidNullException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonUnknownField(UnrecognizedPropertyException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonValue(ValueInstantiationException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response jsonLimit(StreamConstraintsException e, HttpServerRequest request) {
        return json(e, request);
    }

    @ServerExceptionMapper
    public Response unexpected(Exception e, HttpServerRequest request) {
        // A reader may wrap Jackson's exception, or a refusal of ours, in its own.
        Response wrapped = wrappedRefusal(e, request);
        if (wrapped != null) {
            return wrapped;
        }
        if (Unavailability.databaseUnavailable(e)) {
            LOG.warnf("Request %s refused with 503: the database is unreachable (%s)", instance(request), e.toString());
            return Problem.of(503, "The service cannot reach its database just now; nothing was changed. Retry after"
                    + " the time Retry-After gives.", instance(request))
                    .toResponse(Map.of(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS));
        }
        LOG.errorf(e, "Request %s failed", instance(request));
        return Problem.of(500, "The request failed on our side; it has been logged.", instance(request)).toResponse();
    }

    /** The refusal inside a wrapping exception (Jackson's, or a ProblemException), or null when there is none. */
    private Response wrappedRefusal(Throwable e, HttpServerRequest request) {
        for (Throwable cause = e.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
            if (cause instanceof JsonProcessingException json) {
                return json(json, request);
            }
            if (cause instanceof ProblemException problem) {
                return problem(problem, request);
            }
        }
        return null;
    }

    public static String instance(HttpServerRequest request) {
        return request == null ? null : Instances.of(request.path());
    }

    private static Response unauthenticated(HttpServerRequest request) {
        return Problem.of(401, "Send a valid bearer token: Authorization: Bearer <JWT>.", instance(request))
                .toResponse(Map.of(HttpHeaders.WWW_AUTHENTICATE, "Bearer"));
    }

    private static String abbreviate(String text) {
        String printable = text.replaceAll("[^\\x20-\\x7E]", "?");
        return printable.length() <= 80 ? printable : printable.substring(0, 80) + "...";
    }
}

package dev.incidentplatform.compensation.api;

import java.net.URI;
import java.util.List;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.ForbiddenException;
import io.quarkus.security.UnauthorizedException;

/** Every error leaves as RFC 9457 problem+json, with a detail that helps and no stack trace. */
public class ProblemMappers {

    private static final Logger LOG = Logger.getLogger(ProblemMappers.class);

    @ServerExceptionMapper
    public Response unauthorized(UnauthorizedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response authenticationFailed(AuthenticationFailedException e, UriInfo uri) {
        return unauthenticated(uri);
    }

    @ServerExceptionMapper
    public Response forbidden(ForbiddenException e, UriInfo uri) {
        return Problem.of(Response.Status.FORBIDDEN, "Your token does not carry a role that may do this.", uri).toResponse();
    }

    @ServerExceptionMapper
    public Response notFound(NotFoundException e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, "There is nothing at " + uri.getPath() + ".", uri).toResponse();
    }

    @ServerExceptionMapper
    public Response notAllowed(NotAllowedException e, UriInfo uri) {
        Response response = Problem.of(Response.Status.METHOD_NOT_ALLOWED,
                "This resource allows " + e.getResponse().getAllowedMethods() + ".", uri).toResponse();
        return Response.fromResponse(response).allow(e.getResponse().getAllowedMethods()).build();
    }

    @ServerExceptionMapper
    public Response unsupportedMediaType(NotSupportedException e, UriInfo uri) {
        return Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "This endpoint reads " + (uri.getPath().endsWith("/import") ? "text/csv" : "application/json") + ".", uri).toResponse();
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        Response.StatusType status = e.getResponse().getStatusInfo();
        if (status.getFamily() == Response.Status.Family.SERVER_ERROR) {
            LOG.errorf(e, "Request %s failed", uri.getPath());
        }
        String detail = status.getFamily() == Response.Status.Family.SERVER_ERROR ? null : e.getMessage();
        return new Problem(URI.create("about:blank"), status.getReasonPhrase(), status.getStatusCode(), detail,
                URI.create(uri.getPath())).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        return new ProblemWithCount(Problem.of(Response.Status.BAD_REQUEST, e.getMessage(), uri), e.errors(),
                e.errorCount()).toResponse();
    }

    /** Declared for the subtype too: Quarkus' own mapper for it would otherwise answer with plain JSON. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return unreadableJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        String where = e instanceof MismatchedInputException mismatch && !mismatch.getPath().isEmpty()
                ? " at " + mismatch.getPathReference() : "";
        return Problem.of(Response.Status.BAD_REQUEST, "The body is not the JSON this endpoint reads" + where + ": "
                + e.getOriginalMessage(), uri).toResponse();
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Request %s failed", uri.getPath());
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "The request failed on our side; it has been logged.", uri)
                .toResponse();
    }

    /** A 400 whose {@code errors} may be the first of many: {@code errorCount} gives them all. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ProblemWithCount(URI type, String title, int status, String detail, URI instance,
            List<Problem.FieldError> errors, Long errorCount) {

        ProblemWithCount(Problem problem, List<Problem.FieldError> errors, Long errorCount) {
            this(problem.type(), problem.title(), problem.status(), problem.detail(), problem.instance(),
                    errors.isEmpty() ? null : errors, errorCount);
        }

        Response toResponse() {
            return Response.status(status).type(Problem.MEDIA_TYPE).entity(this).build();
        }
    }

    private static Response unauthenticated(UriInfo uri) {
        Response response = Problem.of(Response.Status.UNAUTHORIZED,
                "Send a valid bearer token: Authorization: Bearer <JWT>.", uri).toResponse();
        return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}

package dev.incidentplatform.incident.api;

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

import dev.incidentplatform.incident.domain.CommandRejected;
import dev.incidentplatform.incident.domain.Violation;
import dev.incidentplatform.incident.projection.ProjectionRebuilds;
import dev.incidentplatform.incident.service.CommandFailure;
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
        return Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json (Content-Type: application/json).", uri).toResponse();
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
    public Response badRequest(BadRequest e, UriInfo uri) {
        return withErrors(Response.Status.BAD_REQUEST, e.getMessage(), e.violations(), uri);
    }

    @ServerExceptionMapper
    public Response rejected(CommandRejected e, UriInfo uri) {
        boolean conflict = e.reason() == CommandRejected.Reason.CONFLICT;
        String detail = (conflict ? "The incident's state does not allow this: " : "The request is invalid: ") + e.getMessage()
                + ". Nothing was recorded.";
        return withErrors(conflict ? Response.Status.CONFLICT : Response.Status.BAD_REQUEST, detail, e.violations(), uri);
    }

    @ServerExceptionMapper
    public Response commandFailed(CommandFailure e, UriInfo uri) {
        Response.StatusType status;
        if (e instanceof CommandFailure.IncidentNotFound) {
            status = Response.Status.NOT_FOUND;
        } else if (e instanceof CommandFailure.StaleVersion) {
            status = Response.Status.PRECONDITION_FAILED;
        } else if (e instanceof CommandFailure.IdempotencyKeyReused) {
            status = new Unprocessable();
        } else {
            status = Response.Status.CONFLICT;
        }
        return new Problem(URI.create("about:blank"), status.getReasonPhrase(), status.getStatusCode(), e.getMessage(),
                URI.create(uri.getPath())).toResponse();
    }

    @ServerExceptionMapper
    public Response rebuildRunning(ProjectionRebuilds.AlreadyRunning e, UriInfo uri) {
        Response response = Problem.of(Response.Status.CONFLICT, e.getMessage() + "; wait for it to finish.", uri).toResponse();
        return e.running() == null ? response
                : Response.fromResponse(response).location(URI.create("/api/admin/projections/rebuilds/" + e.running())).build();
    }

    private static Response withErrors(Response.Status status, String detail, List<Violation> violations, UriInfo uri) {
        List<Problem.FieldError> errors = violations.stream().map(v -> new Problem.FieldError(v.field(), v.reason())).toList();
        return new Problem(URI.create("about:blank"), status.getReasonPhrase(), status.getStatusCode(), detail,
                URI.create(uri.getPath()), errors.isEmpty() ? null : errors).toResponse();
    }

    /** 422, which JAX-RS has no constant for. */
    private static final class Unprocessable implements Response.StatusType {
        @Override
        public int getStatusCode() {
            return 422;
        }

        @Override
        public Response.Status.Family getFamily() {
            return Response.Status.Family.CLIENT_ERROR;
        }

        @Override
        public String getReasonPhrase() {
            return "Unprocessable Content";
        }
    }

    @ServerExceptionMapper
    public Response unexpected(RuntimeException e, UriInfo uri) {
        LOG.errorf(e, "Request %s failed", uri.getPath());
        return Problem.of(Response.Status.INTERNAL_SERVER_ERROR, "The request failed on our side; it has been logged.", uri)
                .toResponse();
    }

    private static Response unauthenticated(UriInfo uri) {
        Response response = Problem.of(Response.Status.UNAUTHORIZED,
                "Send a valid bearer token: Authorization: Bearer <JWT>.", uri).toResponse();
        return Response.fromResponse(response).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer").build();
    }
}

package dev.incidentplatform.notification.api;

import java.net.URI;

import jakarta.ws.rs.NotAllowedException;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.incidentplatform.notification.subscriber.InvalidInputException;
import dev.incidentplatform.notification.subscriber.StaleVersionException;
import dev.incidentplatform.notification.subscriber.SubscriberNotFoundException;
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
        return Problem.of(Response.Status.UNSUPPORTED_MEDIA_TYPE, "Send the body as application/json.", uri).toResponse();
    }

    @ServerExceptionMapper
    public Response invalidInput(InvalidInputException e, UriInfo uri) {
        Response.Status status = e.conflict() ? Response.Status.CONFLICT : Response.Status.BAD_REQUEST;
        return Problem.invalid(status, e.getMessage(), uri, e.problems().stream()
                .map(p -> new Problem.FieldError(p.field(), p.reason(), p.line())).toList()).toResponse();
    }

    @ServerExceptionMapper
    public Response subscriberNotFound(SubscriberNotFoundException e, UriInfo uri) {
        return Problem.of(Response.Status.NOT_FOUND, e.getMessage(), uri).toResponse();
    }

    @ServerExceptionMapper
    public Response staleVersion(StaleVersionException e, UriInfo uri) {
        return Problem.of(Response.Status.PRECONDITION_FAILED, e.getMessage(), uri).toResponse();
    }

    /** A body that is not JSON. */
    @ServerExceptionMapper
    public Response unparsableJson(JsonParseException e, UriInfo uri) {
        return badJson(e, uri);
    }

    /** JSON whose fields have the wrong types. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return badJson(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return badJson(e, uri);
    }

    private static Response badJson(JsonProcessingException e, UriInfo uri) {
        return Problem.of(Response.Status.BAD_REQUEST, "The body is not valid JSON for this resource: "
                + e.getOriginalMessage(), uri).toResponse();
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

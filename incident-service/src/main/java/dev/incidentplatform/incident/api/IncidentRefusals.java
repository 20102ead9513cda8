package dev.incidentplatform.incident.api;

import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.incidentplatform.incident.domain.CommandRejected;
import dev.incidentplatform.incident.projection.ProjectionRebuilds;
import dev.incidentplatform.incident.service.CommandFailure;
import dev.incidentplatform.platform.problem.Problem;

import io.vertx.core.http.HttpServerRequest;

import static dev.incidentplatform.platform.problem.ProblemMappers.instance;

/**
 * The incident service's own refusals as problem+json: the aggregate's (400 or 409, with the request's field names),
 * a command's (404, 412, 409) and a rebuild already running (409 with its Location). The platform maps every other.
 */
public class IncidentRefusals {

    @ServerExceptionMapper
    public Response rejected(CommandRejected e, HttpServerRequest request) {
        boolean conflict = e.reason() == CommandRejected.Reason.CONFLICT;
        String detail = (conflict ? "The incident's state does not allow this: " : "The request is invalid: ")
                + RequestFields.describe(e.violations()) + ". Nothing was recorded.";
        return Problem.of(conflict ? 409 : 400, detail, instance(request), RequestFields.errors(e.violations()), null).toResponse();
    }

    @ServerExceptionMapper
    public Response commandFailed(CommandFailure e, HttpServerRequest request) {
        int status;
        if (e instanceof CommandFailure.IncidentNotFound) {
            status = 404;
        } else if (e instanceof CommandFailure.StaleVersion) {
            status = 412;
        } else {
            status = 409;
        }
        return Problem.of(status, e.getMessage(), instance(request)).toResponse();
    }

    @ServerExceptionMapper
    public Response rebuildRunning(ProjectionRebuilds.AlreadyRunning e, HttpServerRequest request) {
        Problem problem = Problem.of(409, e.getMessage() + "; wait for it to finish.", instance(request));
        return e.running() == null ? problem.toResponse()
                : problem.toResponse(Map.of(HttpHeaders.LOCATION, ProjectionAdminResource.rebuildLocation(e.running())));
    }
}

package dev.incidentplatform.incident.api;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import dev.incidentplatform.incident.domain.CommandRejected;
import dev.incidentplatform.incident.domain.Violation;
import dev.incidentplatform.incident.projection.ProjectionRebuilds;
import dev.incidentplatform.incident.service.CommandFailure;
import dev.incidentplatform.platform.problem.Problem;

import io.vertx.core.http.HttpServerRequest;

import static dev.incidentplatform.platform.problem.ProblemMappers.instance;

/** The incident domain's refusals as problem+json; every other refusal is mapped by the platform's mappers. */
public class ProblemMappers {

    @ServerExceptionMapper
    public Response rejected(CommandRejected e, HttpServerRequest request) {
        boolean conflict = e.reason() == CommandRejected.Reason.CONFLICT;
        String detail = (conflict ? "The incident's state does not allow this: " : "The request is invalid: ") + e.getMessage()
                + ". Nothing was recorded.";
        return Problem.of(conflict ? 409 : 400, detail, instance(request), errors(e.violations()), null).toResponse();
    }

    @ServerExceptionMapper
    public Response commandFailed(CommandFailure e, HttpServerRequest request) {
        int status;
        if (e instanceof CommandFailure.IncidentNotFound) {
            status = 404;
        } else if (e instanceof CommandFailure.StaleVersion) {
            status = 412;
        } else if (e instanceof CommandFailure.IdempotencyKeyReused) {
            status = 422;
        } else {
            status = 409;
        }
        return Problem.of(status, e.getMessage(), instance(request)).toResponse();
    }

    @ServerExceptionMapper
    public Response rebuildRunning(ProjectionRebuilds.AlreadyRunning e, HttpServerRequest request) {
        Problem problem = Problem.of(409, e.getMessage() + "; wait for it to finish.", instance(request));
        return e.running() == null ? problem.toResponse()
                : problem.toResponse(Map.of(HttpHeaders.LOCATION, "/api/admin/projections/rebuilds/" + e.running()));
    }

    private static List<Problem.FieldError> errors(List<Violation> violations) {
        return violations.stream().map(v -> new Problem.FieldError(v.field(), v.reason())).toList();
    }
}

package dev.incidentplatform.incident.api;

import java.util.List;

import dev.incidentplatform.incident.domain.Violation;
import dev.incidentplatform.platform.problem.Problem;
import dev.incidentplatform.platform.problem.ProblemException;

/** A request the API cannot read at all (400): malformed JSON, wrong paging or query parameters. */
public class BadRequest extends ProblemException {

    private static final long serialVersionUID = 1L;

    public BadRequest(String detail, List<Violation> violations) {
        super(400, detail, violations.stream().map(v -> new Problem.FieldError(v.field(), v.reason())).toList());
    }

    public static BadRequest field(String field, String reason) {
        return new BadRequest(field + ": " + reason, List.of(new Violation(field, reason)));
    }
}

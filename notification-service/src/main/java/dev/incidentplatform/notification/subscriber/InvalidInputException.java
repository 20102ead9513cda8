package dev.incidentplatform.notification.subscriber;

import java.util.List;

import dev.incidentplatform.notification.domain.Violation;
import dev.incidentplatform.platform.problem.ProblemException;

/**
 * Input that breaks the rules (400), or only clashes with existing subscribers (409); nothing was changed.
 * {@code line} is set for CSV import lines.
 */
public class InvalidInputException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** One problem, on a CSV line when {@code line} is not null. */
    public record Problem(Long line, String field, String reason) {
    }

    public InvalidInputException(String detail, List<Problem> problems, boolean conflict) {
        super(conflict ? 409 : 400, detail, problems.stream()
                .map(p -> new dev.incidentplatform.platform.problem.Problem.FieldError(p.field(), p.reason(), p.line()))
                .toList());
    }

    public static InvalidInputException of(List<Violation> violations) {
        return new InvalidInputException("The subscriber is not valid; see errors.",
                violations.stream().map(v -> new Problem(null, v.field(), v.reason())).toList(), false);
    }
}

package dev.incidentplatform.notification.subscriber;

import java.util.List;

import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.notification.domain.Violation;
import dev.incidentplatform.platform.problem.ProblemException;

/**
 * Input that breaks the rules (400), is well formed but names only a language or time zone notices cannot be written
 * in (422), or only clashes with existing subscribers (409); nothing was changed. {@code line} is set for CSV import
 * lines.
 */
public class InvalidInputException extends ProblemException {

    private static final long serialVersionUID = 1L;

    /** One problem, on a CSV line when {@code line} is not null. */
    public record Problem(Long line, String field, String reason) {
    }

    public InvalidInputException(String detail, List<Problem> problems, boolean conflict) {
        this(conflict ? 409 : 400, detail, problems);
    }

    private InvalidInputException(int status, String detail, List<Problem> problems) {
        super(status, detail, problems.stream()
                .map(p -> new dev.incidentplatform.platform.problem.Problem.FieldError(p.field(), p.reason(), p.line()))
                .toList());
    }

    public static InvalidInputException of(List<Violation> violations) {
        List<Problem> problems = violations.stream().map(v -> new Problem(null, v.field(), v.reason())).toList();
        if (SubscriberDraft.onlyUnsupportedValues(violations)) {
            return new InvalidInputException(422, "Notices cannot be written in the language or time zone the subscriber"
                    + " names; see errors.", problems);
        }
        return new InvalidInputException(400, "The subscriber is not valid; see errors.", problems);
    }
}

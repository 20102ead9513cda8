package dev.incidentplatform.notification.subscriber;

import java.util.List;

import dev.incidentplatform.notification.domain.Violation;

/** Input that breaks the rules; nothing was changed. {@code line} is set for CSV import lines. */
public class InvalidInputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** One problem, on a CSV line when {@code line} is not null. */
    public record Problem(Long line, String field, String reason) {
    }

    private final transient List<Problem> problems;
    private final boolean conflict;

    public InvalidInputException(String detail, List<Problem> problems, boolean conflict) {
        super(detail);
        this.problems = List.copyOf(problems);
        this.conflict = conflict;
    }

    public static InvalidInputException of(List<Violation> violations) {
        return new InvalidInputException("The subscriber is not valid; see errors.",
                violations.stream().map(v -> new Problem(null, v.field(), v.reason())).toList(), false);
    }

    public List<Problem> problems() {
        return problems;
    }

    /** True when the only problem is a clash with existing subscribers (409 rather than 400). */
    public boolean conflict() {
        return conflict;
    }
}

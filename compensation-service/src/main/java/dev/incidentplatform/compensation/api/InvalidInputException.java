package dev.incidentplatform.compensation.api;

import java.util.List;

/** Bad input: leaves as 400 problem+json naming each offending field and why; nothing has been stored. */
public class InvalidInputException extends RuntimeException {

    private final transient List<Problem.FieldError> errors;
    private final Long errorCount;

    public InvalidInputException(String detail, List<Problem.FieldError> errors) {
        this(detail, errors, null);
    }

    public InvalidInputException(String detail, List<Problem.FieldError> errors, Long errorCount) {
        super(detail);
        this.errors = List.copyOf(errors);
        this.errorCount = errorCount;
    }

    public static InvalidInputException field(String field, String reason) {
        return new InvalidInputException(field + ": " + reason, List.of(new Problem.FieldError(field, reason)));
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    /** How many errors there were in all, when {@link #errors()} lists only the first ones. */
    public Long errorCount() {
        return errorCount;
    }
}

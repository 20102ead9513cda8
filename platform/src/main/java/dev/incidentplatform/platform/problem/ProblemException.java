package dev.incidentplatform.platform.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A refusal that leaves as the given problem: thrown by API code for anything the client can fix. Nothing has been
 * changed when it is thrown.
 */
public class ProblemException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient List<Problem.FieldError> errors;
    private final Long errorCount;
    private final transient Map<String, String> headers;

    public ProblemException(int status, String detail) {
        this(status, detail, List.of(), null, Map.of());
    }

    public ProblemException(int status, String detail, List<Problem.FieldError> errors) {
        this(status, detail, errors, null, Map.of());
    }

    public ProblemException(int status, String detail, List<Problem.FieldError> errors, Long errorCount,
            Map<String, String> headers) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
        this.errorCount = errorCount;
        this.headers = Map.copyOf(new LinkedHashMap<>(headers));
    }

    /** 400 for one field: "field: reason". */
    public static ProblemException field(String field, String reason) {
        return new ProblemException(400, field + ": " + reason, List.of(new Problem.FieldError(field, reason)));
    }

    public int status() {
        return status;
    }

    public List<Problem.FieldError> errors() {
        return errors;
    }

    public Long errorCount() {
        return errorCount;
    }

    public Map<String, String> headers() {
        return headers;
    }

    public Problem problem(String instance) {
        return Problem.of(status, getMessage(), instance, errors, errorCount);
    }
}

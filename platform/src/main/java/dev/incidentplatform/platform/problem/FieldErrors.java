package dev.incidentplatform.platform.problem;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every problem of a request before refusing it, so that the caller can fix them all at once. */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    /** The parsed value, or null after recording the parser's IllegalArgumentException as this field's error. */
    public <T> T check(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            add(field, e.getMessage());
            return null;
        }
    }

    public FieldErrors add(String field, String reason) {
        errors.add(new Problem.FieldError(field, reason));
        return this;
    }

    /** All problems in one line: "field: reason; field: reason". */
    public String describe() {
        return String.join("; ", errors.stream().map(e -> e.field() + ": " + e.reason()).toList());
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public List<Problem.FieldError> list() {
        return List.copyOf(errors);
    }

    /** 400 naming the first error in the detail and all of them in {@code errors}. */
    public void throwIfAny(String detail) {
        if (!errors.isEmpty()) {
            Problem.FieldError first = errors.get(0);
            throw new ProblemException(400, detail + ": " + first.field() + ": " + first.reason()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""), errors);
        }
    }
}

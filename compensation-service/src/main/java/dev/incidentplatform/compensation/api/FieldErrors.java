package dev.incidentplatform.compensation.api;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/** Collects every problem of a request before refusing it, so the caller can fix them all at once. */
public final class FieldErrors {

    private final List<Problem.FieldError> errors = new ArrayList<>();

    public <T> T check(String field, Supplier<T> parse) {
        try {
            return parse.get();
        } catch (IllegalArgumentException e) {
            add(field, e.getMessage());
            return null;
        }
    }

    public void add(String field, String reason) {
        errors.add(new Problem.FieldError(field, reason));
    }

    /** All problems in one line: "field: reason; field: reason". */
    public String describe() {
        return String.join("; ", errors.stream().map(e -> e.field() + ": " + e.reason()).toList());
    }

    public boolean isEmpty() {
        return errors.isEmpty();
    }

    public void throwIfAny(String detail) {
        if (!errors.isEmpty()) {
            throw new InvalidInputException(detail + ": " + errors.get(0).field() + ": " + errors.get(0).reason()
                    + (errors.size() > 1 ? " (and " + (errors.size() - 1) + " more)" : ""), errors);
        }
    }
}

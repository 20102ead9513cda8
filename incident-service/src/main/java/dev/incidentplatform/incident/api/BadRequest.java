package dev.incidentplatform.incident.api;

import java.util.List;

import dev.incidentplatform.incident.domain.Violation;

/** A request the API cannot read at all (400): malformed JSON, wrong paging or query parameters. */
public class BadRequest extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private final List<Violation> violations;

    public BadRequest(String detail, List<Violation> violations) {
        super(detail);
        this.violations = List.copyOf(violations);
    }

    public static BadRequest field(String field, String reason) {
        return new BadRequest(field + ": " + reason, List.of(new Violation(field, reason)));
    }

    public List<Violation> violations() {
        return violations;
    }
}

package dev.incidentplatform.incident.domain;

import java.util.List;

/** The aggregate refused a command; nothing is appended. */
public class CommandRejected extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public enum Reason {
        /** The command itself is malformed or breaks a rule about its own fields. */
        INVALID,
        /** The command is well-formed but the incident's current state does not allow it. */
        CONFLICT
    }

    private final Reason reason;
    private final List<Violation> violations;

    public CommandRejected(Reason reason, List<Violation> violations) {
        super(violations.stream().map(v -> v.field() + v.positions() + ": " + v.reason()).reduce((a, b) -> a + "; " + b)
                .orElse(reason.name()));
        this.reason = reason;
        this.violations = List.copyOf(violations);
    }

    public static CommandRejected conflict(String field, String reason) {
        return new CommandRejected(Reason.CONFLICT, List.of(Violation.of(field, reason)));
    }

    public Reason reason() {
        return reason;
    }

    public List<Violation> violations() {
        return violations;
    }
}

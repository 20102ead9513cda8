package dev.incidentplatform.incident.domain;

import java.util.List;

/**
 * What is wrong with one part of a command: the part, named by the command's own fields ({@code title},
 * {@code components.region}), the positions in the command's lists that lead to it (component 2, its region 0), and the
 * rule it breaks. How a request spells the part is the API's business.
 */
public record Violation(String field, List<Integer> positions, String reason) {

    public Violation {
        positions = List.copyOf(positions);
    }

    public static Violation of(String field, String reason) {
        return new Violation(field, List.of(), reason);
    }

    public static Violation at(String field, String reason, Integer... positions) {
        return new Violation(field, List.of(positions), reason);
    }
}

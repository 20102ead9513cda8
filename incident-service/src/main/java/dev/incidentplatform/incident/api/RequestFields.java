package dev.incidentplatform.incident.api;

import java.util.List;
import java.util.Map;

import dev.incidentplatform.incident.domain.Violation;
import dev.incidentplatform.platform.problem.Problem;

/**
 * The request field a domain violation is about: the aggregate names the parts of its commands
 * ({@code components.region} at positions 2, 0), the request spells them as JSON paths ({@code components[2].regions[0]}).
 */
final class RequestFields {

    /** The parts inside lists; every other part has the name of its request field. */
    private static final Map<String, String> IN_LISTS = Map.of(
            "components.entry", "components[%d]",
            "components.service", "components[%d].service",
            "components.regions", "components[%d].regions",
            "components.region", "components[%d].regions[%d]",
            "components.status", "components[%d].status",
            "preventativeMeasures.measure", "preventativeMeasures[%d]");

    private RequestFields() {
    }

    static String of(Violation violation) {
        String format = IN_LISTS.get(violation.field());
        return format == null ? violation.field() : String.format(format, violation.positions().toArray());
    }

    static List<Problem.FieldError> errors(List<Violation> violations) {
        return violations.stream().map(v -> new Problem.FieldError(of(v), v.reason())).toList();
    }

    /** "field: reason; field: reason", in the request's names. */
    static String describe(List<Violation> violations) {
        return String.join("; ", violations.stream().map(v -> of(v) + ": " + v.reason()).toList());
    }
}

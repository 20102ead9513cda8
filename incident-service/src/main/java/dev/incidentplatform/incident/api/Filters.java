package dev.incidentplatform.incident.api;

import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.platform.problem.FieldErrors;

/**
 * The list filters: a service or region filter has the syntax of the names it filters by (the domain's), so a filter
 * that can match nothing is refused as a typo instead of answering an empty list.
 */
final class Filters {

    private Filters() {
    }

    static void service(FieldErrors errors, String parameter, String value) {
        if (value != null && !Component.isService(value)) {
            errors.add(parameter, Component.SERVICE_RULE + ": " + Quoted.of(value));
        }
    }

    static void region(FieldErrors errors, String parameter, String value) {
        if (value != null && !Component.isRegion(value)) {
            errors.add(parameter, Component.REGION_RULE + ": " + Quoted.of(value));
        }
    }
}

package dev.incidentplatform.platform.http;

import java.util.List;
import java.util.Map;
import java.util.Set;

import jakarta.ws.rs.core.UriInfo;

import dev.incidentplatform.platform.problem.FieldErrors;

/** The query parameters an endpoint reads, and nothing else: a misspelt filter must not silently return everything. */
public final class QueryParameters {

    private QueryParameters() {
    }

    /** 400 for a parameter the endpoint does not know, one given twice, or one given empty. */
    public static void onlyKnown(UriInfo uri, Set<String> known) {
        onlyKnown(uri.getQueryParameters(), known);
    }

    /** {@link #onlyKnown(UriInfo, Set)} on the decoded parameters, each name with its values in order. */
    public static void onlyKnown(Map<String, List<String>> parameters, Set<String> known) {
        FieldErrors errors = new FieldErrors();
        parameters.keySet().stream().filter(name -> !known.contains(name)).sorted()
                .forEach(name -> errors.add(name, "unknown filter; known: " + String.join(", ", known.stream().sorted().toList())));
        // JAX-RS hands "size=" to the resource as no value at all; an empty parameter is a mistake, not "the default".
        parameters.forEach((name, values) -> {
            if (known.contains(name) && values.stream().anyMatch(String::isEmpty)) {
                errors.add(name, "must not be empty; leave the parameter out for its default");
            }
            if (known.contains(name) && values.size() > 1) {
                errors.add(name, "must be given once");
            }
        });
        errors.throwIfAny("Invalid query parameters");
    }
}

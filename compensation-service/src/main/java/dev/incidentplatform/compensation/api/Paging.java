package dev.incidentplatform.compensation.api;

import java.util.List;
import java.util.Set;

import jakarta.ws.rs.core.UriInfo;

import dev.incidentplatform.platform.problem.FieldErrors;

/** page (from 0) and size (1–500) of a list request; a page of items with the total. */
public record Paging(int page, int size) {

    public static final int MAX_SIZE = 500;

    public static Paging of(Integer page, Integer size) {
        FieldErrors errors = new FieldErrors();
        int p = page == null ? 0 : page;
        int s = size == null ? 50 : size;
        if (p < 0) {
            errors.add("page", "pages are numbered from 0");
        }
        if (s < 1 || s > MAX_SIZE) {
            errors.add("size", "size is between 1 and " + MAX_SIZE);
        }
        errors.throwIfAny("Invalid paging");
        return new Paging(p, s);
    }

    public long offset() {
        return (long) page * size;
    }

    /** The same shape as the other services' lists: the items, where they are, and how many there are. */
    public record Page<T>(List<T> items, int page, int size, long totalItems, long totalPages) {
    }

    public <T> Page<T> page(List<T> items, long total) {
        return new Page<>(items, page, size, total, (total + size - 1) / size);
    }

    /** Refuses query parameters the endpoint does not know: a misspelt filter must not silently return everything. */
    public static void onlyKnownParameters(UriInfo uri, Set<String> known) {
        FieldErrors errors = new FieldErrors();
        uri.getQueryParameters().keySet().stream().filter(name -> !known.contains(name)).sorted()
                .forEach(name -> errors.add(name, "unknown filter; known: " + String.join(", ", known.stream().sorted().toList())));
        errors.throwIfAny("Unknown query parameter");
    }
}

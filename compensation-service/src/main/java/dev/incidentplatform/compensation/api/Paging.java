package dev.incidentplatform.compensation.api;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import jakarta.ws.rs.core.UriInfo;

import dev.incidentplatform.platform.problem.FieldErrors;

/** page (from 0) and size (1–500) of a list request; a page of items with the total. */
public record Paging(int page, int size) {

    public static final int MAX_SIZE = 500;

    /** The largest page number read: beyond it no list of this service has items. */
    public static final int MAX_PAGE = 10_000_000;
    private static final Pattern WHOLE_NUMBER = Pattern.compile("-?[0-9]{1,9}");

    /**
     * Reads the raw parameters (not as JAX-RS Integers, whose conversion failure is a bare 404): a page from 0 to
     * {@link #MAX_PAGE}, a size from 1 to {@link #MAX_SIZE}; 400 naming the parameter otherwise.
     */
    public static Paging of(String page, String size) {
        FieldErrors errors = new FieldErrors();
        Integer p = page == null ? Integer.valueOf(0) : number(page);
        Integer s = size == null ? Integer.valueOf(50) : number(size);
        if (p == null || p < 0 || p > MAX_PAGE) {
            errors.add("page", "must be a whole number from 0 (the first page) to " + MAX_PAGE);
        }
        if (s == null || s < 1 || s > MAX_SIZE) {
            errors.add("size", "must be a whole number from 1 to " + MAX_SIZE);
        }
        errors.throwIfAny("Invalid paging");
        return new Paging(p, s);
    }

    private static Integer number(String text) {
        return WHOLE_NUMBER.matcher(text).matches() ? Integer.valueOf(text) : null;
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
        // JAX-RS hands "size=" to the resource as no value at all; an empty parameter is a mistake, not "the default".
        uri.getQueryParameters().forEach((name, values) -> {
            if (known.contains(name) && values.stream().anyMatch(String::isEmpty)) {
                errors.add(name, "must not be empty; leave the parameter out for its default");
            }
            if (known.contains(name) && values.size() > 1) {
                errors.add(name, "must be given once");
            }
        });
        errors.throwIfAny("Unknown query parameter");
    }
}

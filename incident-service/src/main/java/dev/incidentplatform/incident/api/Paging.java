package dev.incidentplatform.incident.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.ws.rs.core.UriInfo;

import dev.incidentplatform.incident.domain.Violation;

/** {@code page} (from 0) and {@code size} (1 to {@value #MAX_SIZE}, default {@value #DEFAULT_SIZE}) of a list. */
public record Paging(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 200;

    public static Paging of(String page, String size) {
        List<Violation> violations = new ArrayList<>();
        int p = number(page, 0, "page", 0, Integer.MAX_VALUE / MAX_SIZE, violations);
        int s = number(size, DEFAULT_SIZE, "size", 1, MAX_SIZE, violations);
        if (!violations.isEmpty()) {
            throw new BadRequest("Invalid paging: " + violations.get(0).field() + " " + violations.get(0).reason(), violations);
        }
        return new Paging(p, s);
    }

    private static int number(String value, int fallback, String field, int min, int max, List<Violation> violations) {
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value.trim());
            if (number < min || number > max) {
                violations.add(new Violation(field, "must be between " + min + " and " + max + ": " + value));
            }
            return number;
        } catch (NumberFormatException e) {
            violations.add(new Violation(field, "must be a whole number: '" + value + "'"));
            return fallback;
        }
    }

    /** A page of a list with its total and the links to the neighbouring pages. */
    public record PageView<T>(List<T> items, int page, int size, long totalItems, long totalPages, Map<String, String> links) {
    }

    public <T> PageView<T> view(List<T> items, long totalItems, UriInfo uri) {
        long totalPages = (totalItems + size - 1) / size;
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", link(uri, page));
        if (page > 0) {
            links.put("prev", link(uri, page - 1));
        }
        if ((long) (page + 1) * size < totalItems) {
            links.put("next", link(uri, page + 1));
        }
        return new PageView<>(items, page, size, totalItems, totalPages, links);
    }

    private String link(UriInfo uri, int target) {
        return uri.getRequestUriBuilder().replaceQueryParam("page", target).replaceQueryParam("size", size).build().toString();
    }
}

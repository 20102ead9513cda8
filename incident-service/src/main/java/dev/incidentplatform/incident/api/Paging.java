package dev.incidentplatform.incident.api;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.incidentplatform.incident.domain.Violation;
import io.vertx.core.http.HttpServerRequest;

/** {@code page} (from 0) and {@code size} (1 to {@value #MAX_SIZE}, default {@value #DEFAULT_SIZE}) of a list. */
public record Paging(int page, int size) {

    public static final int DEFAULT_SIZE = 20;
    public static final int MAX_SIZE = 200;
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,18}");

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
        // ASCII digits only: Integer.parseInt would also read "+1" and other scripts' digits.
        if (!DIGITS.matcher(value).matches()) {
            violations.add(new Violation(field, "must be a whole number from " + min + " to " + max + ": " + Quoted.of(value)));
            return fallback;
        }
        long number = Long.parseLong(value);
        if (number < min || number > max) {
            violations.add(new Violation(field, "must be between " + min + " and " + max + ": " + value));
            return fallback;
        }
        return (int) number;
    }

    /**
     * A page of a list with its total and the links to the neighbouring pages: relative references (path and query),
     * so that they hold behind any proxy and never repeat a Host header the client chose.
     */
    public record PageView<T>(List<T> items, int page, int size, long totalItems, long totalPages, Map<String, String> links) {
    }

    public <T> PageView<T> view(List<T> items, long totalItems, HttpServerRequest request) {
        long totalPages = (totalItems + size - 1) / size;
        String path = request.path();
        List<String> kept = otherParameters(request.query());
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", link(path, kept, page));
        if (page > 0) {
            links.put("prev", link(path, kept, page - 1));
        }
        if ((long) (page + 1) * size < totalItems) {
            links.put("next", link(path, kept, page + 1));
        }
        return new PageView<>(items, page, size, totalItems, totalPages, links);
    }

    /** The raw query's parameters other than page and size, as the client encoded them (RequestGuards checked them). */
    private static List<String> otherParameters(String rawQuery) {
        List<String> kept = new ArrayList<>();
        if (rawQuery == null || rawQuery.isEmpty()) {
            return kept;
        }
        for (String parameter : rawQuery.split("&")) {
            if (parameter.isEmpty()) {
                continue;
            }
            int equals = parameter.indexOf('=');
            String name = URLDecoder.decode(equals < 0 ? parameter : parameter.substring(0, equals), StandardCharsets.UTF_8);
            if (!name.equals("page") && !name.equals("size")) {
                kept.add(parameter);
            }
        }
        return kept;
    }

    private String link(String path, List<String> kept, int target) {
        List<String> parameters = new ArrayList<>(kept);
        parameters.add("page=" + target);
        parameters.add("size=" + size);
        return path + "?" + String.join("&", parameters);
    }
}

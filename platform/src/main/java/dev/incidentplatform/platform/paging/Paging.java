package dev.incidentplatform.platform.paging;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.incidentplatform.platform.problem.FieldErrors;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code page} (from 0 to {@value #MAX_PAGE}) and {@code size} (1 to {@value #MAX_SIZE}, default {@value #DEFAULT_SIZE})
 * of every list of every service, read from the request itself: JAX-RS would turn {@code size=} into "absent" and a
 * failed conversion into a 404. Absent means the default; empty, repeated, or anything but ASCII digits in range is a
 * 400 naming the parameter.
 */
public final class Paging {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
    /** Far beyond any list of these services; bounds page × size to what the database's OFFSET reads in one go. */
    public static final int MAX_PAGE = 10_000_000;
    /** For the OpenAPI annotations, which take only constant strings. */
    public static final String MAX_SIZE_TEXT = "500";
    public static final String MAX_PAGE_TEXT = "10000000";
    public static final String DEFAULT_SIZE_TEXT = "50";
    public static final String PAGE_DESCRIPTION = "The page, from 0 (the first)";
    public static final String SIZE_DESCRIPTION = "Items per page, 1 to " + MAX_SIZE_TEXT + " (default " + DEFAULT_SIZE_TEXT + ")";

    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,9}");

    private final int page;
    private final int size;
    private final String path;
    private final List<String> otherParameters;

    private Paging(int page, int size, String path, List<String> otherParameters) {
        this.page = page;
        this.size = size;
        this.path = path;
        this.otherParameters = otherParameters;
    }

    /** The paging of this request; 400 naming page or size (both, if both are wrong) when they break the rule. */
    public static Paging of(HttpServerRequest request) {
        FieldErrors errors = new FieldErrors();
        Integer page = errors.check("page", () -> number(request.params().getAll("page"), 0, 0, MAX_PAGE));
        Integer size = errors.check("size", () -> number(request.params().getAll("size"), DEFAULT_SIZE, 1, MAX_SIZE));
        errors.throwIfAny("Invalid paging");
        return new Paging(page, size, request.path(), otherParameters(request.query()));
    }

    private static int number(List<String> values, int fallback, int min, int max) {
        if (values.isEmpty()) {
            return fallback;
        }
        String rule = "must be a whole number from " + min + " to " + max;
        if (values.size() > 1) {
            throw new IllegalArgumentException("must be given once");
        }
        String value = values.get(0);
        if (value.isEmpty()) {
            throw new IllegalArgumentException("must not be empty; leave the parameter out for its default (" + fallback + ")");
        }
        // ASCII digits only: Integer.parseInt would also read "+1" and other scripts' digits.
        if (!DIGITS.matcher(value).matches()) {
            throw new IllegalArgumentException(rule);
        }
        int number = Integer.parseInt(value);
        if (number < min || number > max) {
            throw new IllegalArgumentException(rule);
        }
        return number;
    }

    public int page() {
        return page;
    }

    public int size() {
        return size;
    }

    /** How many items come before this page. */
    public long offset() {
        return (long) page * size;
    }

    /**
     * A page of a list with its total and the links to its neighbours: relative references (this request's path and
     * query with another page), so that they hold behind any proxy and never repeat a Host header the client chose.
     */
    public record Page<T>(List<T> items, int page, int size, long totalItems, long totalPages, Map<String, String> links) {
    }

    public <T> Page<T> page(List<T> items, long totalItems) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", link(page));
        if (page > 0) {
            links.put("prev", link(page - 1));
        }
        if (offset() + size < totalItems) {
            links.put("next", link(page + 1));
        }
        return new Page<>(List.copyOf(items), page, size, totalItems, (totalItems + size - 1) / size, links);
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
        return List.copyOf(kept);
    }

    private String link(int target) {
        List<String> parameters = new ArrayList<>(otherParameters);
        parameters.add("page=" + target);
        parameters.add("size=" + size);
        return path + "?" + String.join("&", parameters);
    }
}

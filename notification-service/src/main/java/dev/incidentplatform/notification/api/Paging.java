package dev.incidentplatform.notification.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import dev.incidentplatform.platform.problem.FieldErrors;
import io.vertx.core.http.HttpServerRequest;

/**
 * {@code page} (from 0) and {@code size} (1 to {@value #MAX_SIZE}, default {@value #DEFAULT_SIZE}) of every list, read
 * as text so that {@code page=abc} is a 400 naming the parameter (JAX-RS would make a failed conversion a 404).
 */
public record Paging(int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;
    /** So that page × size always fits the database's OFFSET and nobody asks for the billionth page by mistake. */
    public static final int MAX_PAGE = 1_000_000;

    public static Paging of(String page, String size) {
        FieldErrors errors = new FieldErrors();
        Integer p = errors.check("page", () -> number(page, 0, 0, MAX_PAGE));
        Integer s = errors.check("size", () -> number(size, DEFAULT_SIZE, 1, MAX_SIZE));
        errors.throwIfAny("The paging parameters are out of range");
        return new Paging(p, s);
    }

    private static int number(String value, int fallback, int min, int max) {
        if (value == null || value.isEmpty()) {
            return fallback;
        }
        String rule = "must be a whole number from " + min + " to " + max;
        if (!value.matches("[0-9]{1,7}")) {
            throw new IllegalArgumentException(rule);
        }
        int number = Integer.parseInt(value);
        if (number < min || number > max) {
            throw new IllegalArgumentException(rule);
        }
        return number;
    }

    /**
     * A page of a list, with what a client needs to fetch its neighbours. The links are relative references (this
     * request's own path and query with another page), never built from the Host header a client sent.
     */
    public record PageOf<T>(List<T> items, int page, int size, long totalItems, long totalPages,
            @Schema(description = "self, and prev/next where there is such a page: relative references (path and query)",
                    required = true) Map<String, String> links) {
    }

    public <T> PageOf<T> page(List<T> items, long totalItems, HttpServerRequest request) {
        Map<String, String> links = new LinkedHashMap<>();
        links.put("self", link(request, page));
        if (page > 0) {
            links.put("prev", link(request, page - 1));
        }
        if ((long) (page + 1) * size < totalItems) {
            links.put("next", link(request, page + 1));
        }
        return new PageOf<>(items, page, size, totalItems, (totalItems + size - 1) / size, links);
    }

    /**
     * The request's raw path and query, page and size replaced: the other parameters keep the encoding the client
     * sent (RequestGuards has checked that it is well-formed).
     */
    private String link(HttpServerRequest request, int target) {
        List<String> pairs = new ArrayList<>();
        String query = request.query();
        if (query != null && !query.isEmpty()) {
            for (String pair : query.split("&")) {
                String name = pair.contains("=") ? pair.substring(0, pair.indexOf('=')) : pair;
                if (!name.isEmpty() && !name.equals("page") && !name.equals("size")) {
                    pairs.add(pair);
                }
            }
        }
        pairs.add("page=" + target);
        pairs.add("size=" + size);
        return request.path() + "?" + String.join("&", pairs);
    }
}

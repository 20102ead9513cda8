package dev.incidentplatform.notification.api;

import java.util.ArrayList;
import java.util.List;

import dev.incidentplatform.notification.subscriber.InvalidInputException;

/** {@code page} (from 0) and {@code size} (1..500, default 50) of every list. */
public record Paging(int page, int size) {

    public static final int DEFAULT_SIZE = 50;
    public static final int MAX_SIZE = 500;

    public static Paging of(Integer page, Integer size) {
        List<InvalidInputException.Problem> problems = new ArrayList<>();
        int p = page == null ? 0 : page;
        int s = size == null ? DEFAULT_SIZE : size;
        if (p < 0) {
            problems.add(new InvalidInputException.Problem(null, "page", "must be 0 or more"));
        }
        if (s < 1 || s > MAX_SIZE) {
            problems.add(new InvalidInputException.Problem(null, "size", "must be between 1 and " + MAX_SIZE));
        }
        if (!problems.isEmpty()) {
            throw new InvalidInputException("The paging parameters are out of range.", problems, false);
        }
        return new Paging(p, s);
    }

    /** A page of a list, with what a client needs to fetch the next. */
    public record PageOf<T>(List<T> items, int page, int size, long totalItems, long totalPages) {

        public static <T> PageOf<T> of(List<T> items, Paging paging, long total) {
            return new PageOf<>(items, paging.page(), paging.size(), total, (total + paging.size() - 1) / paging.size());
        }
    }
}

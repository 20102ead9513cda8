package dev.incidentplatform.compensation.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A half-open span of time [start, end): adjacent windows touch without overlapping. */
public record TimeWindow(Instant start, Instant end) {

    public TimeWindow {
        Objects.requireNonNull(start, "start");
        Objects.requireNonNull(end, "end");
        if (end.isBefore(start)) {
            throw new IllegalArgumentException("A window cannot end (" + end + ") before it starts (" + start + ")");
        }
    }

    public Duration duration() {
        return Duration.between(start, end);
    }

    public boolean isEmpty() {
        return start.equals(end);
    }

    public Optional<TimeWindow> intersection(TimeWindow other) {
        Instant from = start.isAfter(other.start) ? start : other.start;
        Instant to = end.isBefore(other.end) ? end : other.end;
        return from.isBefore(to) ? Optional.of(new TimeWindow(from, to)) : Optional.empty();
    }

    /** The union of windows as disjoint, sorted windows: overlapping or touching windows merge, so overlap counts once. */
    public static List<TimeWindow> union(Collection<TimeWindow> windows) {
        List<TimeWindow> sorted = windows.stream().filter(w -> !w.isEmpty())
                .sorted(Comparator.comparing(TimeWindow::start)).toList();
        List<TimeWindow> merged = new ArrayList<>();
        for (TimeWindow window : sorted) {
            if (!merged.isEmpty() && !window.start.isAfter(merged.get(merged.size() - 1).end)) {
                TimeWindow last = merged.remove(merged.size() - 1);
                merged.add(new TimeWindow(last.start, window.end.isAfter(last.end) ? window.end : last.end));
            } else {
                merged.add(window);
            }
        }
        return merged;
    }

    /** The parts of {@code windows} inside {@code bounds}. */
    public static List<TimeWindow> clip(Collection<TimeWindow> windows, TimeWindow bounds) {
        return windows.stream().map(bounds::intersection).flatMap(Optional::stream).toList();
    }

    public static Duration total(Collection<TimeWindow> disjointWindows) {
        return disjointWindows.stream().map(TimeWindow::duration).reduce(Duration.ZERO, Duration::plus);
    }
}

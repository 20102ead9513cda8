package dev.incidentplatform.notification.unsubscribe;

import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * At most {@code requests} per {@code window} and client, counted in fixed windows that start at a client's first
 * request. In memory and per instance: with n instances behind a load balancer a client gets up to n times the
 * budget, which still stops a token-guessing or page-flooding script. At most {@code maxClients} windows are kept;
 * when that many clients are inside their window, the windows are forgotten (memory stays bounded, a flood from that
 * many addresses starts afresh).
 */
public final class ClientRateLimit {

    private final int requests;
    private final long windowNanos;
    private final int maxClients;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    private static final class Window {
        final long start;
        int count;

        Window(long start) {
            this.start = start;
        }
    }

    public ClientRateLimit(int requests, Duration window, int maxClients, LongSupplier nanoClock) {
        if (requests < 1 || window.isNegative() || window.isZero() || maxClients < 1) {
            throw new IllegalArgumentException("A rate limit needs requests >= 1, a positive window and maxClients >= 1");
        }
        this.requests = requests;
        this.windowNanos = window.toNanos();
        this.maxClients = maxClients;
        this.nanoClock = nanoClock;
    }

    /** Counts one request of the client: 0 when it may go ahead, else the whole seconds until its window ends (>= 1). */
    public long acquire(String client) {
        long now = nanoClock.getAsLong();
        if (windows.size() >= maxClients && !windows.containsKey(client)) {
            windows.values().removeIf(w -> now - w.start >= windowNanos);
            if (windows.size() >= maxClients) {
                windows.clear();
            }
        }
        Window window = windows.compute(client, (key, old) -> {
            Window current = old == null || now - old.start >= windowNanos ? new Window(now) : old;
            current.count++;
            return current;
        });
        if (window.count <= requests) {
            return 0;
        }
        long remaining = window.start + windowNanos - now;
        return Math.max(1, (remaining + 999_999_999L) / 1_000_000_000L);
    }
}

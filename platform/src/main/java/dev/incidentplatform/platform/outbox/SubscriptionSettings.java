package dev.incidentplatform.platform.outbox;

import java.time.Duration;
import java.util.Objects;

/**
 * How a service runs one subscription.
 *
 * @param name the subscription's name: the {@code stream} tag of its meters, its health check, its leader lock
 * @param checkpoint the row of the {@code checkpoint} table it advances
 * @param batchSize rows per batch (a Kafka transaction, or a database transaction)
 * @param idleWait the longest sleep between looks when no notification comes (the fallback poll)
 * @param maxLag its health check is DOWN when the oldest row not yet delivered waits longer than this
 * @param enabled false: this instance never leads (another one does)
 */
public record SubscriptionSettings(String name, String checkpoint, int batchSize, Duration idleWait, Duration maxLag,
        boolean enabled) {

    public SubscriptionSettings {
        Objects.requireNonNull(name);
        Objects.requireNonNull(checkpoint);
        if (batchSize < 1) {
            throw new IllegalArgumentException("batchSize must be at least 1");
        }
        Objects.requireNonNull(idleWait);
        Objects.requireNonNull(maxLag);
    }
}

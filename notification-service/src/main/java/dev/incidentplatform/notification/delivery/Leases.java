package dev.incidentplatform.notification.delivery;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows this instance holds, and until when (on this JVM's monotonic clock) it may trust that it still does. A
 * row is held from its claim until its outcome is recorded; the heartbeat renews exactly these rows, so a row this
 * instance forgot (its outcome could not be recorded, its channel was never called) runs out and is swept like a
 * dead instance's. The times are taken before the statement that set the lease in the database, so they err early.
 */
final class Leases {

    /**
     * One held row. {@code lost}: the heartbeat found it no longer ours (swept after a long pause, taken by another).
     * {@code recording}: its outcome is being written, so a heartbeat that no longer finds it sending found it done.
     */
    static final class Lease {
        final String owner;
        volatile long validUntilNanos;
        volatile boolean lost;
        volatile boolean recording;

        Lease(String owner, long validUntilNanos) {
            this.owner = owner;
            this.validUntilNanos = validUntilNanos;
        }
    }

    private final Map<UUID, Lease> held = new ConcurrentHashMap<>();
    private final long leaseNanos;

    Leases(long leaseNanos) {
        this.leaseNanos = leaseNanos;
    }

    /** Rows a claim that started at {@code claimStartNanos} took for {@code owner}. */
    void claimed(Collection<UUID> ids, String owner, long claimStartNanos) {
        for (UUID id : ids) {
            held.put(id, new Lease(owner, claimStartNanos + leaseNanos));
        }
    }

    /** Rows no longer held: recorded, handed back, or given up on. */
    void forget(Collection<UUID> ids) {
        ids.forEach(held::remove);
    }

    Lease get(UUID id) {
        return held.get(id);
    }

    /** What the next heartbeat renews. */
    Map<UUID, Lease> snapshot() {
        return Map.copyOf(held);
    }

    /** Rows whose outcomes are about to be written. */
    void recording(Collection<UUID> ids) {
        for (UUID id : ids) {
            Lease lease = held.get(id);
            if (lease != null) {
                lease.recording = true;
            }
        }
    }

    /**
     * The heartbeat that started at {@code beatStartNanos} renewed {@code renewed} of the {@code snapshot} it was given.
     *
     * @return how many rows it found lost
     */
    int renewed(Map<UUID, Lease> snapshot, Set<UUID> renewed, long beatStartNanos) {
        int lost = 0;
        for (Map.Entry<UUID, Lease> entry : snapshot.entrySet()) {
            Lease lease = entry.getValue();
            if (renewed.contains(entry.getKey())) {
                lease.validUntilNanos = beatStartNanos + leaseNanos;
            } else if (!lease.recording && held.get(entry.getKey()) == lease) {
                lease.lost = true;
                lost++;
            }
        }
        return lost;
    }

    /** True when every one of {@code ids} is held and valid for at least {@code marginNanos} more. */
    boolean allValid(List<UUID> ids, long marginNanos) {
        long now = System.nanoTime();
        for (UUID id : ids) {
            Lease lease = held.get(id);
            if (lease != null && !lease.lost && lease.validUntilNanos - now < marginNanos) {
                return false;
            }
        }
        return true;
    }

    int size() {
        return held.size();
    }
}

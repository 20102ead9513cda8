package dev.incidentplatform.notification.delivery;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Outcomes to record in one transaction, by kind; each names the sender ({@code instance#thread}) that must still
 * hold the row for the outcome to apply.
 */
public record OutcomeBatch(List<Sent> sent, List<Retry> retried, List<Ended> failed, List<Ended> cancelled) {

    public OutcomeBatch {
        sent = List.copyOf(sent);
        retried = List.copyOf(retried);
        failed = List.copyOf(failed);
        cancelled = List.copyOf(cancelled);
    }

    public record Sent(UUID id, String owner) {
    }

    /** Pending again after {@code delay} (or cancelled, when the recipient left meanwhile). */
    public record Retry(UUID id, String owner, String error, Duration delay) {
    }

    /** Failed or cancelled for good, with the reason the delivery log shows. */
    public record Ended(UUID id, String owner, String error) {
    }

    /** Every delivery the batch names. */
    public List<UUID> ids() {
        return Stream.of(sent.stream().map(Sent::id), retried.stream().map(Retry::id), failed.stream().map(Ended::id),
                cancelled.stream().map(Ended::id)).flatMap(s -> s).toList();
    }

    public int size() {
        return sent.size() + retried.size() + failed.size() + cancelled.size();
    }
}

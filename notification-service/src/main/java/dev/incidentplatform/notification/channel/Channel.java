package dev.incidentplatform.notification.channel;

import java.util.List;

/**
 * One way of reaching a recipient (email, webhook): it renders a claimed delivery, sends it and says how a failure
 * classifies. Everything else (fan-out, coalescing, leases, retries with backoff, the delivery log, cancellation when a
 * recipient leaves, exactly one delivery per event, recipient and channel) is the pipeline's and the same for every
 * channel. A channel is one CDI bean implementing this interface plus its configuration.
 */
public interface Channel {

    /** What every {@link #name()} matches (a short lower-case word): it is a column value, a filter and a metric tag. */
    String NAME_PATTERN = "[a-z][a-z0-9-]{0,31}";

    /** The name stored in {@code delivery.channel} and shown by the delivery log and stats; unique per service. */
    String name();

    /**
     * Sends a batch of deliveries of this channel and reports each one's outcome to {@code outcomes} exactly once
     * before returning (from any thread: a channel may send concurrently). A delivery whose recipient turns out to be
     * gone (an unknown or removed recipient) is reported as {@link Failure.Kind#RECIPIENT_GONE}. Must not throw for
     * one delivery's failure; a thrown exception hands every unreported delivery of the batch back for a retry.
     */
    void send(List<Delivery> batch, Outcomes outcomes);
}

package dev.incidentplatform.notification.channel;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A delivery a sender holds: one notice (with the earlier notices of the same thread it covers) for one recipient on
 * one channel.
 *
 * @param id the delivery's id: stable across retries, so a repeated send is recognisably the same (a Message-ID, a
 *         webhook-id)
 * @param recipientId the subscriber or webhook endpoint, per {@code channel}
 * @param incidentId the incident the notice is about; null for a credit notice
 * @param attempts attempts including this one
 * @param opensThread true when this is the first notice about the incident to reach this recipient (an email starts
 *         the thread instead of replying to it)
 * @param occurredAt when the event of this delivery's own notice happened
 * @param notices the notices carried, earliest first; the last is this delivery's own
 */
public record Delivery(UUID id, String channel, UUID recipientId, UUID incidentId, int attempts, boolean opensThread,
        Instant occurredAt, List<Notice> notices) {

    public Delivery {
        notices = List.copyOf(notices);
        if (notices.isEmpty()) {
            throw new IllegalArgumentException("a delivery carries at least its own notice");
        }
    }

    /** This delivery's own notice: the latest it carries. */
    public Notice latest() {
        return notices.get(notices.size() - 1);
    }
}

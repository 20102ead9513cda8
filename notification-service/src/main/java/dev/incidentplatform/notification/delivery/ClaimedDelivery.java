package dev.incidentplatform.notification.delivery;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/**
 * A delivery a sender holds: to whom, which Message-ID it goes out with (kept across retries, so a repeated send is
 * recognisably the same message), and the notices it carries (its own and those it covers), as stored JSON.
 *
 * @param threadRoot the Message-ID of the thread's first notice when this one replies to it, else null
 */
public record ClaimedDelivery(UUID id, UUID subscriberId, String email, UUID incidentId, String eventType, int attempts,
        String messageId, String threadRoot, Instant occurredAt, List<String> notices) {

    public ClaimedDelivery {
        notices = List.copyOf(notices);
    }
}

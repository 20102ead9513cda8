package dev.incidentplatform.notification.mail;

import java.util.UUID;

/**
 * The subscriber an email goes to, as the email channel loads it for a batch.
 *
 * @param name how to greet them; null when not known
 * @param customerId the customer they belong to; null for someone who follows the status only
 * @param locale the language tag of their templates; null for English
 * @param timeZone the IANA zone their dates are written in; null for UTC
 */
public record EmailRecipient(UUID subscriberId, String email, String name, String customerId, String locale,
        String timeZone) {
}

package dev.incidentplatform.notification.mail;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One rendered email: a text part and an HTML part (null for a plain-text mail, such as the note to a webhook's
 * owner), and the headers that thread it, file it (List-Id) and let the reader
 * unsubscribe, in the order they are written. Sender headers (From, Reply-To) are the transport's.
 */
public record OutgoingMail(String to, String subject, String text, String html, Map<String, String> headers) {

    public OutgoingMail {
        headers = Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    }
}

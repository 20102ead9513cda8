package dev.incidentplatform.notification.mail;

import java.util.Map;

/** One rendered email: a text and an HTML part, and the headers that thread it and let the reader unsubscribe. */
public record OutgoingMail(String to, String subject, String text, String html, Map<String, String> headers) {

    public OutgoingMail {
        headers = Map.copyOf(headers);
    }
}

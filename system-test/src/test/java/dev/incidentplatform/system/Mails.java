package dev.incidentplatform.system;

import java.io.IOException;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/** What the system tests read of a received mail. */
final class Mails {

    private Mails() {
    }

    /** The first recipient's address. */
    static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether the mail's first recipient is {@code address} (case-insensitively). */
    static boolean to(MimeMessage message, String address) {
        try {
            return message.getAllRecipients() != null && recipient(message).equalsIgnoreCase(address);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    static String header(MimeMessage message, String name) {
        try {
            return message.getHeader(name, null);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The text/plain part (or the whole body when it is plain text). */
    static String text(MimeMessage message) {
        try {
            return textOf(message.getContent());
        } catch (IOException | MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String textOf(Object content) throws IOException, MessagingException {
        if (content instanceof String text) {
            return text;
        }
        StringBuilder text = new StringBuilder();
        if (content instanceof Multipart multipart) {
            for (int i = 0; i < multipart.getCount(); i++) {
                BodyPart part = multipart.getBodyPart(i);
                if (part.isMimeType("text/plain") || part.isMimeType("multipart/*")) {
                    text.append(textOf(part.getContent()));
                }
            }
        }
        return text.toString();
    }
}

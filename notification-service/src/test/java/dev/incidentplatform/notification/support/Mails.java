package dev.incidentplatform.notification.support;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

import dev.incidentplatform.testsupport.TestInfrastructure;
import jakarta.mail.Address;
import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

/** Reads what the real SMTP server received, parsed as MIME by Jakarta Mail. */
public final class Mails {

    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private Mails() {
    }

    /** A received mail, parsed: headers, and the text and HTML parts of its multipart/alternative body. */
    public record Received(String to, String subject, String text, String html, MimeMessage message) {

        public String header(String name) {
            try {
                String[] values = message.getHeader(name);
                return values == null ? null : values[0];
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public static List<Received> to(String address) {
        return TestInfrastructure.mail().receivedMessages().stream().filter(addressedTo(address)).map(Mails::parse).toList();
    }

    public static List<Received> awaitTo(String address, int count) {
        return TestInfrastructure.mail().awaitMessages(count, TIMEOUT, addressedTo(address)).stream().map(Mails::parse).toList();
    }

    public static Predicate<MimeMessage> addressedTo(String address) {
        return message -> {
            try {
                Address[] recipients = message.getAllRecipients();
                if (recipients == null) {
                    return false;
                }
                for (Address recipient : recipients) {
                    if (recipient.toString().equalsIgnoreCase(address)) {
                        return true;
                    }
                }
                return false;
            } catch (MessagingException e) {
                throw new IllegalStateException(e);
            }
        };
    }

    public static Received parse(MimeMessage message) {
        try {
            String text = null;
            String html = null;
            List<Object> parts = new ArrayList<>();
            Object content = message.getContent();
            if (content instanceof Multipart multipart) {
                collect(multipart, parts);
            } else {
                parts.add(message);
            }
            for (Object part : parts) {
                jakarta.mail.Part p = (jakarta.mail.Part) part;
                if (p.isMimeType("text/plain")) {
                    text = (String) p.getContent();
                } else if (p.isMimeType("text/html")) {
                    html = (String) p.getContent();
                }
            }
            return new Received(message.getAllRecipients()[0].toString(), message.getSubject(), text, html, message);
        } catch (MessagingException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void collect(Multipart multipart, List<Object> parts) throws MessagingException, IOException {
        for (int i = 0; i < multipart.getCount(); i++) {
            BodyPart part = multipart.getBodyPart(i);
            if (part.getContent() instanceof Multipart nested) {
                collect(nested, parts);
            } else {
                parts.add(part);
            }
        }
    }
}

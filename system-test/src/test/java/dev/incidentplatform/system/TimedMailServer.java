package dev.incidentplatform.system;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.internet.MimeMessage;

import com.icegreen.greenmail.configuration.GreenMailConfiguration;
import com.icegreen.greenmail.user.MessageDeliveryHandler;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;

/**
 * The SMTP server of the end-to-end benchmark: GreenMail, with the moment it accepts each mail (its delivery, just
 * before it answers the end of DATA) taken on this JVM's clock, the clock the updates were posted by.
 */
final class TimedMailServer implements AutoCloseable {

    /** A mail as accepted: when, and the mail itself (parsed only after the run). */
    record Accepted(long nanos, MimeMessage message) {
    }

    private static final Pattern TOKEN = Pattern.compile("Benchmark update (\\d+)\\.");

    private final GreenMail greenMail;
    private final ConcurrentLinkedQueue<Accepted> accepted = new ConcurrentLinkedQueue<>();

    TimedMailServer(int port) {
        greenMail = new GreenMail(new ServerSetup(port, "127.0.0.1", ServerSetup.PROTOCOL_SMTP))
                .withConfiguration(GreenMailConfiguration.aConfig().withDisabledAuthentication());
        greenMail.start();
        MessageDeliveryHandler store = greenMail.getUserManager().getMessageDeliveryHandler();
        greenMail.getUserManager().setMessageDeliveryHandler((message, address) -> {
            accepted.add(new Accepted(System.nanoTime(), message.getMessage()));
            return store.handle(message, address);
        });
    }

    int port() {
        return greenMail.getSmtp().getPort();
    }

    List<Accepted> accepted() {
        return List.copyOf(accepted);
    }

    /**
     * The highest update number a mail shows: a notice shows its incident's latest update, and a mail that covers
     * several (coalesced) shows the newest of them.
     */
    static int latestUpdate(MimeMessage message) {
        Matcher token = TOKEN.matcher(text(message));
        int latest = -1;
        while (token.find()) {
            latest = Math.max(latest, Integer.parseInt(token.group(1)));
        }
        return latest;
    }

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

    static String header(MimeMessage message, String name) {
        try {
            return message.getHeader(name, null);
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}

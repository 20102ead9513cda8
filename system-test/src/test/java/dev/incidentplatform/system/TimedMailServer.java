package dev.incidentplatform.system;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        Matcher token = TOKEN.matcher(Mails.text(message));
        int latest = -1;
        while (token.find()) {
            latest = Math.max(latest, Integer.parseInt(token.group(1)));
        }
        return latest;
    }

    @Override
    public void close() {
        greenMail.stop();
    }
}

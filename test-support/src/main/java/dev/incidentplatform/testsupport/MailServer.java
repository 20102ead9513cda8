package dev.incidentplatform.testsupport;

import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.awaitility.Awaitility;

import jakarta.mail.internet.MimeMessage;

/** A real SMTP server for tests whose received mail can be read back. One per test JVM. */
public abstract class MailServer implements AutoCloseable {

    public abstract String host();

    public abstract int smtpPort();

    /** Every message received since the last {@link #purge()}, in arrival order per mailbox. */
    public abstract List<MimeMessage> receivedMessages();

    public abstract void purge();

    /** Stops accepting connections (senders see connection refused), keeping the port for {@link #start()}. */
    public abstract void stop();

    public abstract void start();

    public abstract boolean running();

    @Override
    public abstract void close();

    /** Waits until at least {@code count} received messages match, then returns all that match. */
    public List<MimeMessage> awaitMessages(int count, Duration timeout, Predicate<MimeMessage> filter) {
        return Awaitility.await()
                .atMost(timeout)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> receivedMessages().stream().filter(filter).toList(), messages -> messages.size() >= count);
    }

    public List<MimeMessage> awaitMessages(int count, Duration timeout) {
        return awaitMessages(count, timeout, message -> true);
    }
}

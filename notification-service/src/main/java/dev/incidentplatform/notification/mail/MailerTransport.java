package dev.incidentplatform.notification.mail;

import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.eclipse.angus.mail.smtp.SMTPAddressFailedException;
import org.eclipse.angus.mail.smtp.SMTPSendFailedException;
import org.eclipse.microprofile.config.Config;

import dev.incidentplatform.notification.config.NotificationConfig;

/**
 * SMTP through Jakarta Mail's own transport (Angus Mail), over connections kept open and reused: a sender thread
 * takes an idle connection (or opens one), sends, and puts it back, so there are at most as many connections as
 * threads sending at once. The message, built by {@link MimeNotice}, is written straight to the socket through one
 * buffer, and the sender's thread does the I/O itself. The server and the sender addresses are the Quarkus mailer's
 * settings ({@code quarkus.mailer.host}, {@code port}, {@code tls}, {@code start-tls}, {@code username},
 * {@code password}, {@code from}, {@code bounce-address}; docs/decisions/0014), Reply-To is
 * {@code notification.mail.reply-to} when set. TLS trusts the JVM's trust store.
 * <p>
 * Connecting, and every read and write, waits at most {@code notification.mail.send-timeout}: a send that never
 * completes (a half-dead connection, a server that stops answering) would otherwise hold its sender thread, and the
 * lease on the rest of its batch. A timed-out send counts as a transient failure and is retried with backoff. A
 * connection that failed in any way is closed rather than reused; one idle for a while is checked with NOOP first.
 */
@ApplicationScoped
public class MailerTransport implements MailTransport {

    /** Servers drop idle sessions after minutes (Postfix: 5); a connection idle longer than this is checked first. */
    private static final long CHECK_AFTER_IDLE_NANOS = Duration.ofSeconds(10).toNanos();
    /** How far an exception chain is followed (Jakarta Mail's next-exception links could, in principle, loop). */
    private static final int MAX_CHAIN = 16;

    private final Session session;
    private final String protocol;
    private final SmtpServer server;
    private final MimeNotice.Sender sender;
    private final Duration timeout;
    private final Deque<Connection> idle = new ConcurrentLinkedDeque<>();

    /** The SMTP server and sender one mailer's settings name. */
    record SmtpServer(String host, int port, boolean tls, String startTls, String username, String password, String from,
            String bounceAddress) {

        /** The settings of the default mailer (name null) or of a named one, {@code quarkus.mailer.<name>.*}. */
        static SmtpServer of(Config config, String mailer) {
            String prefix = mailer == null ? "quarkus.mailer." : "quarkus.mailer." + mailer + ".";
            boolean tls = config.getOptionalValue(prefix + "tls", Boolean.class).orElse(false);
            return new SmtpServer(config.getOptionalValue(prefix + "host", String.class).orElse("localhost"),
                    config.getOptionalValue(prefix + "port", Integer.class).orElse(tls ? 465 : 25), tls,
                    config.getOptionalValue(prefix + "start-tls", String.class).orElse("OPTIONAL").toUpperCase(),
                    config.getOptionalValue(prefix + "username", String.class).orElse(null),
                    config.getOptionalValue(prefix + "password", String.class).orElse(null),
                    config.getValue(prefix + "from", String.class),
                    config.getOptionalValue(prefix + "bounce-address", String.class).orElse(null));
        }
    }

    private record Connection(Transport transport, long idleSinceNanos) {
    }

    @Inject
    public MailerTransport(NotificationConfig config, Config quarkus) {
        this(SmtpServer.of(quarkus, null), config.mail().replyTo().orElse(null), config.mail().sendTimeout());
    }

    MailerTransport(SmtpServer server, String replyTo, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
        this.sender = sender(server.from(), replyTo, server.bounceAddress());
        this.protocol = server.tls() ? "smtps" : "smtp";
        String prefix = "mail." + protocol + ".";
        Properties properties = new Properties();
        properties.setProperty(prefix + "host", server.host());
        properties.setProperty(prefix + "port", Integer.toString(server.port()));
        properties.setProperty(prefix + "from", sender.envelopeFrom());
        String millis = Long.toString(timeout.toMillis());
        properties.setProperty(prefix + "connectiontimeout", millis);
        properties.setProperty(prefix + "timeout", millis);
        properties.setProperty(prefix + "writetimeout", millis);
        switch (server.startTls()) {
            case "DISABLED" -> properties.setProperty(prefix + "starttls.enable", "false");
            case "OPTIONAL" -> properties.setProperty(prefix + "starttls.enable", "true");
            case "REQUIRED" -> {
                properties.setProperty(prefix + "starttls.enable", "true");
                properties.setProperty(prefix + "starttls.required", "true");
            }
            default -> throw new IllegalStateException("quarkus.mailer.start-tls must be DISABLED, OPTIONAL or REQUIRED, not '"
                    + server.startTls() + "'");
        }
        if (server.username() != null) {
            properties.setProperty(prefix + "auth", "true");
        }
        if (server.tls() || !"DISABLED".equals(server.startTls())) {
            properties.setProperty(prefix + "ssl.checkserveridentity", "true");
        }
        this.session = Session.getInstance(properties);
    }

    /** A transport to the named mailer's server ({@code quarkus.mailer.<name>.*}); tests route some mail so. */
    public static MailerTransport named(Config quarkus, String mailer, Duration timeout) {
        return new MailerTransport(SmtpServer.of(quarkus, mailer), null, timeout);
    }

    static MimeNotice.Sender sender(String from, String replyTo, String bounceAddress) {
        InternetAddress fromAddress = address("quarkus.mailer.from", from);
        List<InternetAddress> replyToAddresses = replyTo == null ? List.of() : addresses("notification.mail.reply-to", replyTo);
        String envelope = bounceAddress == null ? fromAddress.getAddress()
                : address("quarkus.mailer.bounce-address", bounceAddress).getAddress();
        return new MimeNotice.Sender(fromAddress, replyToAddresses, envelope);
    }

    @Override
    public void send(OutgoingMail mail) throws SendFailedException {
        MimeMessage message;
        try {
            message = MimeNotice.message(session, mail, sender);
        } catch (MessagingException e) {
            throw new SendFailedException(null, "the mail could not be encoded: " + e.getMessage(), e);
        }
        Transport transport = take();
        try {
            transport.sendMessage(message, message.getRecipients(Message.RecipientType.TO));
        } catch (MessagingException | RuntimeException e) {
            close(transport);
            throw failure(e);
        }
        idle.push(new Connection(transport, System.nanoTime()));
    }

    /** The most recently used idle connection (still warm, least likely to have been dropped), or a new one. */
    private Transport take() throws SendFailedException {
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            if (System.nanoTime() - connection.idleSinceNanos() < CHECK_AFTER_IDLE_NANOS || connection.transport().isConnected()) {
                return connection.transport();
            }
            close(connection.transport());
        }
        try {
            Transport transport = session.getTransport(protocol);
            transport.connect(server.host(), server.port(), server.username(), server.password());
            return transport;
        } catch (MessagingException e) {
            throw failure(e);
        }
    }

    private SendFailedException failure(Exception e) {
        int depth = 0;
        for (Throwable t = e; t != null && depth++ < MAX_CHAIN; t = next(t)) {
            if (t instanceof SMTPAddressFailedException refused) {
                return new SendFailedException(refused.getReturnCode(), refused.getMessage().strip(), e);
            }
            if (t instanceof SMTPSendFailedException refused) {
                return new SendFailedException(refused.getReturnCode(), refused.getMessage().strip(), e);
            }
            if (t instanceof SocketTimeoutException) {
                return new SendFailedException(null, "no answer from the SMTP server within " + timeout, e);
            }
        }
        return new SendFailedException(null, describe(e), e);
    }

    /** The next exception in a chain, following Jakarta Mail's own links (getNextException) as well as causes. */
    private static Throwable next(Throwable t) {
        if (t instanceof MessagingException messaging && messaging.getNextException() != null
                && messaging.getNextException() != t) {
            return messaging.getNextException();
        }
        return t.getCause() == t ? null : t.getCause();
    }

    private static void close(Transport transport) {
        try {
            transport.close();
        } catch (MessagingException | RuntimeException e) {
            // Closing a broken connection may fail too; it is gone either way.
        }
    }

    @PreDestroy
    void closeAll() {
        for (Connection connection = idle.poll(); connection != null; connection = idle.poll()) {
            close(connection.transport());
        }
    }

    private static InternetAddress address(String property, String value) {
        List<InternetAddress> parsed = addresses(property, value);
        if (parsed.size() != 1) {
            throw new IllegalStateException(property + " must be one address, not '" + value + "'");
        }
        return parsed.get(0);
    }

    private static List<InternetAddress> addresses(String property, String value) {
        try {
            return Arrays.asList(InternetAddress.parse(value, true));
        } catch (AddressException e) {
            throw new IllegalStateException(property + " must be an address such as 'Service Status <status@example.com>',"
                    + " not '" + value + "': " + e.getMessage(), e);
        }
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        int depth = 0;
        for (Throwable t = next(failure); t != null && depth++ < MAX_CHAIN; t = next(t)) {
            root = t;
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

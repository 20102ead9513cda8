package dev.incidentplatform.notification.mail;

import java.time.Duration;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.config.NotificationConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.reactive.ReactiveMailer;
import io.smallrye.mutiny.TimeoutException;
import io.vertx.ext.mail.SMTPException;

/**
 * SMTP through the Quarkus mailer: its Vert.x client keeps a pool of connections alive ({@code quarkus.mailer.*}), so
 * senders reuse them. Called only from the senders' own threads, never from an event-loop or messaging thread (where a
 * blocking send deadlocks, see INFRA-NOTES).
 * <p>
 * Every send waits at most {@code notification.mail.send-timeout}: a send that never completes (a half-dead pooled
 * connection, a server that stops answering) would otherwise hold its sender thread, and the lease on the rest of its
 * batch, until the lease ran out. A timed-out send counts as a transient failure and is retried with backoff.
 */
@ApplicationScoped
public class MailerTransport implements MailTransport {

    private final ReactiveMailer mailer;
    private final NotificationConfig config;

    public MailerTransport(ReactiveMailer mailer, NotificationConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    @Override
    public void send(OutgoingMail mail) throws SendFailedException {
        sendWith(mailer, mail);
    }

    /** Sends through the given mailer (tests route some recipients to another server). */
    public void sendWith(ReactiveMailer through, OutgoingMail mail) throws SendFailedException {
        Mail message = Mail.withText(mail.to(), mail.subject(), mail.text()).setHtml(mail.html());
        config.mail().replyTo().ifPresent(message::setReplyTo);
        mail.headers().forEach(message::addHeader);
        Duration timeout = config.mail().sendTimeout();
        try {
            through.send(message).await().atMost(timeout);
        } catch (TimeoutException e) {
            throw new SendFailedException(null, "no answer from the SMTP server within " + timeout, e);
        } catch (RuntimeException e) {
            SMTPException reply = smtpReply(e);
            if (reply != null) {
                throw new SendFailedException(reply.getReplyCode(), reply.getMessage(), e);
            }
            throw new SendFailedException(null, describe(e), e);
        }
    }

    private static SMTPException smtpReply(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SMTPException smtp) {
                return smtp;
            }
        }
        return null;
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}

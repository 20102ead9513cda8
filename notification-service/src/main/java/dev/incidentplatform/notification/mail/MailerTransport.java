package dev.incidentplatform.notification.mail;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.config.NotificationConfig;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.vertx.ext.mail.SMTPException;

/**
 * SMTP through the Quarkus mailer: its Vert.x client keeps a pool of connections alive ({@code quarkus.mailer.*}), so
 * senders reuse them. Called only from the senders' own threads, never from an event-loop or messaging thread (where a
 * blocking send deadlocks, see INFRA-NOTES).
 */
@ApplicationScoped
public class MailerTransport implements MailTransport {

    private final Mailer mailer;
    private final NotificationConfig config;

    public MailerTransport(Mailer mailer, NotificationConfig config) {
        this.mailer = mailer;
        this.config = config;
    }

    @Override
    public void send(OutgoingMail mail) throws SendFailedException {
        sendWith(mailer, mail);
    }

    /** Sends through the given mailer (tests route some recipients to another server). */
    public void sendWith(Mailer through, OutgoingMail mail) throws SendFailedException {
        Mail message = Mail.withText(mail.to(), mail.subject(), mail.text()).setHtml(mail.html());
        config.mail().replyTo().ifPresent(message::setReplyTo);
        mail.headers().forEach(message::addHeader);
        try {
            through.send(message);
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

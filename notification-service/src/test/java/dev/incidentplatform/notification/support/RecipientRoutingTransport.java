package dev.incidentplatform.notification.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.incidentplatform.notification.mail.MailTransport;
import dev.incidentplatform.notification.mail.MailerTransport;
import dev.incidentplatform.notification.mail.OutgoingMail;
import dev.incidentplatform.notification.mail.SendFailedException;
import io.quarkus.mailer.MailerName;
import io.quarkus.mailer.reactive.ReactiveMailer;

/**
 * Test-only: mail to the domain {@value #REJECTED_DOMAIN} goes through the mailer named {@code rejecting} (a server
 * that refuses every recipient), mail to {@value #SILENT_DOMAIN} through the mailer named {@code silent} (a server that
 * never answers); everything else through the service's own transport and the test SMTP server. The service's real
 * send path (MailerTransport) runs either way.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecipientRoutingTransport implements MailTransport {

    public static final String REJECTED_DOMAIN = "rejected.example.test";
    public static final String SILENT_DOMAIN = "silent.example.test";

    private final MailerTransport transport;
    private final ReactiveMailer rejecting;
    private final ReactiveMailer silent;

    public RecipientRoutingTransport(MailerTransport transport, @MailerName("rejecting") ReactiveMailer rejecting,
            @MailerName("silent") ReactiveMailer silent) {
        this.transport = transport;
        this.rejecting = rejecting;
        this.silent = silent;
    }

    @Override
    public void send(OutgoingMail mail) throws SendFailedException {
        if (mail.to().endsWith("@" + REJECTED_DOMAIN)) {
            transport.sendWith(rejecting, mail);
        } else if (mail.to().endsWith("@" + SILENT_DOMAIN)) {
            transport.sendWith(silent, mail);
        } else {
            transport.send(mail);
        }
    }
}

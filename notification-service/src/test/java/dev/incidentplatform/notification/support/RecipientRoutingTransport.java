package dev.incidentplatform.notification.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import dev.incidentplatform.notification.mail.MailTransport;
import dev.incidentplatform.notification.mail.MailerTransport;
import dev.incidentplatform.notification.mail.OutgoingMail;
import dev.incidentplatform.notification.mail.SendFailedException;
import io.quarkus.mailer.Mailer;
import io.quarkus.mailer.MailerName;

/**
 * Test-only: mail to the domain {@value #REJECTED_DOMAIN} goes through the mailer named {@code rejecting} (a server
 * that refuses every recipient); everything else through the service's own transport and the test SMTP server. The
 * service's real send path (MailerTransport) runs either way.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecipientRoutingTransport implements MailTransport {

    public static final String REJECTED_DOMAIN = "rejected.example.test";

    private final MailerTransport transport;
    private final Mailer rejecting;

    public RecipientRoutingTransport(MailerTransport transport, @MailerName("rejecting") Mailer rejecting) {
        this.transport = transport;
        this.rejecting = rejecting;
    }

    @Override
    public void send(OutgoingMail mail) throws SendFailedException {
        if (mail.to().endsWith("@" + REJECTED_DOMAIN)) {
            transport.sendWith(rejecting, mail);
        } else {
            transport.send(mail);
        }
    }
}

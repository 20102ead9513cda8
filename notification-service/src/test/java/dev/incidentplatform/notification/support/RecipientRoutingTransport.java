package dev.incidentplatform.notification.support;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.config.Config;

import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.notification.mail.MailTransport;
import dev.incidentplatform.notification.mail.MailerTransport;
import dev.incidentplatform.notification.mail.OutgoingMail;
import dev.incidentplatform.notification.mail.SendFailedException;

/**
 * Test-only: mail to the domain {@value #REJECTED_DOMAIN} goes to the server of the mailer named {@code rejecting}
 * (one that refuses every recipient), mail to {@value #SILENT_DOMAIN} to that of the mailer named {@code silent} (one
 * that never answers); everything else through the service's own transport and the test SMTP server. The service's
 * real send path (MailerTransport) runs either way.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class RecipientRoutingTransport implements MailTransport {

    public static final String REJECTED_DOMAIN = "rejected.example.test";
    public static final String SILENT_DOMAIN = "silent.example.test";

    private final MailerTransport transport;
    private final MailerTransport rejecting;
    private final MailerTransport silent;

    public RecipientRoutingTransport(MailerTransport transport, Config quarkus, NotificationConfig config) {
        this.transport = transport;
        this.rejecting = MailerTransport.named(quarkus, "rejecting", config.mail().sendTimeout());
        this.silent = MailerTransport.named(quarkus, "silent", config.mail().sendTimeout());
    }

    @Override
    public void send(OutgoingMail mail) throws SendFailedException {
        if (mail.to().endsWith("@" + REJECTED_DOMAIN)) {
            rejecting.send(mail);
        } else if (mail.to().endsWith("@" + SILENT_DOMAIN)) {
            silent.send(mail);
        } else {
            transport.send(mail);
        }
    }
}

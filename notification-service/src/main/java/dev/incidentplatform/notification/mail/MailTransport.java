package dev.incidentplatform.notification.mail;

/** Hands a mail to SMTP, blocking until the server accepted or refused it. */
public interface MailTransport {

    void send(OutgoingMail mail) throws SendFailedException;
}

package dev.incidentplatform.notification.mail;

import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;

import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeBodyPart;
import jakarta.mail.internet.MimeMessage;
import jakarta.mail.internet.MimeMultipart;
import jakarta.mail.internet.MimeUtility;
import jakarta.mail.util.StreamProvider;

import org.eclipse.angus.mail.util.MailStreamProvider;

/**
 * A notice as the MIME message that goes over SMTP, built by Jakarta Mail: a multipart/alternative of a text and an
 * HTML part, each {@code charset=utf-8} and quoted-printable, a subject in RFC 2047 encoded
 * words (any Unicode survives), and only the headers that have a value.
 */
final class MimeNotice {

    /**
     * Every text part is quoted-printable: safe for any text and readable where it is ASCII. Left unset, Jakarta Mail
     * would encode each part once more only to choose an encoding, a third of a sender's CPU in a fan-out.
     */
    private static final String TRANSFER_ENCODING = "Content-Transfer-Encoding";
    private static final String QUOTED_PRINTABLE = "quoted-printable";

    static {
        // Jakarta Mail looks its StreamProvider up through ServiceLoader on every encoder it makes (jakartaee/mail-api
        // #861): a scan of the class path per body part and header, an eighth of a sender's time in a fan-out. Named
        // by this property, the provider is instantiated directly instead.
        System.getProperties().putIfAbsent(StreamProvider.class.getName(), MailStreamProvider.class.getName());
    }

    /** Who a notice is from: the header addresses and the envelope sender (where bounces go). */
    record Sender(InternetAddress from, List<InternetAddress> replyTo, String envelopeFrom) {

        Sender {
            replyTo = List.copyOf(replyTo);
        }
    }

    private MimeNotice() {
    }

    /** The message, its headers final ({@code saveChanges} done), in the given session. */
    static MimeMessage message(Session session, OutgoingMail mail, Sender sender) throws MessagingException {
        MimeMessage mime = new KeptIdMessage(session, mail.headers().get("Message-ID"));
        mime.setFrom(sender.from());
        if (!sender.replyTo().isEmpty()) {
            mime.setReplyTo(sender.replyTo().toArray(new InternetAddress[0]));
        }
        mime.setRecipient(Message.RecipientType.TO, new InternetAddress(mail.to(), true));
        mime.setSubject(mail.subject(), StandardCharsets.UTF_8.name());
        mime.setSentDate(new Date());
        for (Map.Entry<String, String> header : mail.headers().entrySet()) {
            if (!header.getKey().equalsIgnoreCase("Message-ID")) {
                mime.setHeader(header.getKey(), MimeUtility.fold(header.getKey().length() + 2, header.getValue()));
            }
        }
        if (mail.html() == null) {
            mime.setText(mail.text(), StandardCharsets.UTF_8.name(), "plain");
            mime.setHeader(TRANSFER_ENCODING, QUOTED_PRINTABLE);
        } else {
            MimeMultipart alternative = new MimeMultipart("alternative");
            alternative.addBodyPart(textPart(mail.text(), "plain"));
            alternative.addBodyPart(textPart(mail.html(), "html"));
            mime.setContent(alternative);
        }
        mime.saveChanges();
        return mime;
    }

    private static MimeBodyPart textPart(String text, String subtype) throws MessagingException {
        MimeBodyPart part = new MimeBodyPart();
        part.setText(text, StandardCharsets.UTF_8.name(), subtype);
        part.setHeader(TRANSFER_ENCODING, QUOTED_PRINTABLE);
        return part;
    }

    /** Keeps the Message-ID the delivery chose (stable across retries) instead of a new one per save. */
    private static final class KeptIdMessage extends MimeMessage {

        private final String messageId;

        KeptIdMessage(Session session, String messageId) {
            super(session);
            this.messageId = messageId;
        }

        @Override
        protected void updateMessageID() throws MessagingException {
            if (messageId == null) {
                super.updateMessageID();
            } else {
                setHeader("Message-ID", messageId);
            }
        }
    }
}

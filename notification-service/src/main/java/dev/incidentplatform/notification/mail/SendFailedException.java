package dev.incidentplatform.notification.mail;

/** An SMTP send that did not go through, with the server's reply code (null when there was no reply) and text. */
public class SendFailedException extends Exception {

    private static final long serialVersionUID = 1L;

    private final Integer replyCode;

    public SendFailedException(Integer replyCode, String reply, Throwable cause) {
        super(reply, cause);
        this.replyCode = replyCode;
    }

    public Integer replyCode() {
        return replyCode;
    }
}

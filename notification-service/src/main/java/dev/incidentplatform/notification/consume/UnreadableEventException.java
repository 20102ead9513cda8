package dev.incidentplatform.notification.consume;

/** A record that cannot be read as the event it claims to be: it goes to the dead-letter topic with this reason. */
public class UnreadableEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableEventException(String reason) {
        super(reason);
    }

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

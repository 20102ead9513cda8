package dev.incidentplatform.compensation.outage;

/** A record this service cannot read: it goes to the dead-letter topic with this message as the reason. */
public class UnreadableEventException extends RuntimeException {

    public UnreadableEventException(String reason) {
        super(reason);
    }

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

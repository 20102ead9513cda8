package dev.incidentplatform.platform.consume;

/**
 * A record that cannot be read as an event this consumer applies: not a CloudEvent, data that is not the JSON its
 * type needs, or a type or schema version this version of the service does not know. Parked at once (no retry can
 * change the bytes), to be replayed once a version that reads it is deployed.
 */
public class UnreadableEventException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public UnreadableEventException(String reason) {
        super(reason);
    }

    public UnreadableEventException(String reason, Throwable cause) {
        super(reason, cause);
    }
}

package dev.incidentplatform.incident.eventstore;

import java.util.UUID;

/** Another writer appended the same stream version first; nothing of this append was written. */
public class ConcurrentAppendException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConcurrentAppendException(UUID streamId, int version) {
        super("Stream " + streamId + " already has a version " + version);
    }
}

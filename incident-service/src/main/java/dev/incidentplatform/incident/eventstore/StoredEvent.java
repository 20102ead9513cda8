package dev.incidentplatform.incident.eventstore;

import java.time.Instant;
import java.util.UUID;

import dev.incidentplatform.incident.events.EventCodec;
import dev.incidentplatform.platform.outbox.Cursor;

/** One row of the event store; {@code data} is the contract payload, {@code metadata} the request's context. */
public record StoredEvent(long position, long transactionId, UUID eventId, UUID streamId, int version, String type,
        int schemaVersion, String data, String metadata, Instant recordedAt) {

    public Cursor cursor() {
        return new Cursor(transactionId, position);
    }

    public EventCodec.Decoded decode() {
        return EventCodec.decode(type, schemaVersion, data);
    }
}

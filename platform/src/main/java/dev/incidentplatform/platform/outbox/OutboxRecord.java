package dev.incidentplatform.platform.outbox;

import java.util.Objects;

import io.cloudevents.CloudEvent;

/** What one row becomes on the topic: a CloudEvent (written in binary mode by the SDK) and the record's key. */
public record OutboxRecord(String key, CloudEvent event) {

    public OutboxRecord {
        Objects.requireNonNull(key);
        Objects.requireNonNull(event);
    }
}

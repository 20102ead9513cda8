package dev.incidentplatform.platform.consume;

import io.cloudevents.CloudEvent;

/**
 * What a consumer does with one event. Runs again for a redelivery and for a replay, so it must be idempotent (the
 * services record the event id in their inbox in the same transaction). Throws {@link UnreadableEventException} for
 * an event it cannot read; any other failure is classified by {@link Failures}.
 */
@FunctionalInterface
public interface EventHandler {

    void handle(CloudEvent event, Coordinates at) throws Exception;

    /** Where the record is (or was, for a replay): what an inbox records. */
    record Coordinates(String topic, int partition, long offset) {
    }
}

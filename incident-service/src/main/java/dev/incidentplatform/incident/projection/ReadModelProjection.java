package dev.incidentplatform.incident.projection;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.incidentplatform.incident.eventstore.EventStore;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.platform.outbox.AppendOnlyTable;
import dev.incidentplatform.platform.outbox.ProjectedStream;
import dev.incidentplatform.platform.outbox.SubscriptionSettings;

/**
 * Keeps the read models current (the platform's database subscriber runs it): applies events in commit order, in
 * batches, each batch in one transaction with the checkpoint it reaches. Batches are small on purpose: while one
 * runs, its transaction id holds back {@code pg_snapshot_xmin}, and with it the relay.
 */
@ApplicationScoped
public class ReadModelProjection implements ProjectedStream<StoredEvent> {

    public static final String NAME = "read-models";
    public static final String CHECKPOINT = "projection:read-models";

    private final SubscriptionSettings settings;

    public ReadModelProjection(@ConfigProperty(name = "incident.projector.batch-size", defaultValue = "25") int batchSize,
            @ConfigProperty(name = "incident.projector.idle-wait", defaultValue = "PT0.5S") Duration idleWait,
            @ConfigProperty(name = "incident.projector.health.max-lag", defaultValue = "PT60S") Duration maxLag,
            @ConfigProperty(name = "incident.projector.enabled", defaultValue = "true") boolean enabled) {
        this.settings = new SubscriptionSettings(NAME, CHECKPOINT, batchSize, idleWait, maxLag, enabled);
    }

    @Override
    public SubscriptionSettings settings() {
        return settings;
    }

    @Override
    public AppendOnlyTable table() {
        return EventStore.TABLE;
    }

    @Override
    public StoredEvent read(ResultSet row) throws SQLException {
        return EventStore.row(row);
    }

    @Override
    public void apply(Connection transaction, List<StoredEvent> batch) throws SQLException {
        new ReadModelWriter(transaction, "").apply(batch);
    }
}

package dev.incidentplatform.platform.outbox;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Optional;

/**
 * A service's outbox published to a Kafka topic, exactly once and in commit order, by {@link KafkaRelay}. A service
 * declares one as a bean; its event types and payloads stay in the service.
 */
public interface RelayedStream {

    SubscriptionSettings settings();

    AppendOnlyTable table();

    String topic();

    /**
     * A query returning one row with a {@code store_id} column: which database this is. It goes into the Kafka
     * transactional id (so that a second relay of the same store is fenced) and into every record, so that
     * reconciling with the topic never takes another store's records (a restored copy, a test) for this one's.
     */
    String storeIdentityQuery();

    /**
     * The reconciliation headers are {@code <prefix>-store} (the store id) and {@code <prefix>-position} (the row's
     * {@link Cursor}); they are this relay's own, not CloudEvents attributes.
     */
    String headerPrefix();

    /** The record of the current row, read by column name; empty for a row that is passed over, not published. */
    Optional<OutboxRecord> record(ResultSet row) throws SQLException;
}

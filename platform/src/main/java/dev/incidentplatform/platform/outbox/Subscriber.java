package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.SQLException;

/** What a {@link Subscription} does with its rows while it leads: one per term of leadership. */
interface Subscriber extends AutoCloseable {

    /**
     * Delivers the next batch after the checkpoint and moves the checkpoint; the number of rows passed (0: none
     * waits). {@code session} is the leader's own autocommit connection.
     *
     * @throws SQLException the database failed: leadership ends and is sought again
     * @throws RuntimeException the destination failed (Kafka): {@link #reset} and retried with back-off
     */
    int deliver(Connection session) throws SQLException;

    /** Forgets whatever a failure may have left behind; the next {@link #deliver} starts afresh from the checkpoint. */
    void reset();

    @Override
    void close();
}

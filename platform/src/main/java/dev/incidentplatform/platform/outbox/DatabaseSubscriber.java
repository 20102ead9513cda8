package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

import javax.sql.DataSource;

import dev.incidentplatform.platform.outbox.AppendOnlyTable.Row;

/**
 * Applies a {@link ProjectedStream} to the service's own database: each batch in one transaction together with the
 * checkpoint it reaches. The checkpoint row is locked for the batch, so that whatever else writes behind it (a
 * rebuild swapping tables in) never applies the same row twice.
 */
final class DatabaseSubscriber<T> implements Subscriber {

    private final ProjectedStream<T> stream;
    private final DataSource dataSource;
    private final SubscriptionMetrics metrics;

    DatabaseSubscriber(ProjectedStream<T> stream, DataSource dataSource, SubscriptionMetrics metrics) {
        this.stream = stream;
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    @Override
    public int deliver(Connection session) throws SQLException {
        String checkpoint = stream.settings().checkpoint();
        int limit = stream.settings().batchSize();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                // Look before locking: an idle subscriber then only reads, and takes no transaction id (which would
                // hold back every reader's horizon) and writes no lock every time it looks.
                Cursor seen = Checkpoints.read(connection, checkpoint);
                List<Row<T>> batch = stream.table().read(connection, seen, limit, stream::read);
                if (batch.isEmpty()) {
                    connection.rollback();
                    return 0;
                }
                Cursor locked = Checkpoints.lock(connection, checkpoint);
                if (!locked.equals(seen)) {
                    // Moved meanwhile (a rebuild swapped its tables in): read again from where it now stands.
                    batch = stream.table().read(connection, locked, limit, stream::read);
                    if (batch.isEmpty()) {
                        connection.rollback();
                        return 0;
                    }
                }
                stream.apply(connection, batch.stream().map(Row::value).toList());
                Checkpoints.save(connection, checkpoint, batch.get(batch.size() - 1).cursor());
                connection.commit();
                metrics.delivered(batch.stream().map(Row::recordedAt).toList());
                return batch.size();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    @Override
    public void reset() {
        // Nothing outlives a batch: its transaction committed or rolled back.
    }

    @Override
    public void close() {
    }
}

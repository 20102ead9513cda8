package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * A service's append-only table applied to its own database (read models) in commit order, each batch in one
 * transaction with the checkpoint it reaches, by {@link DatabaseSubscriber}. A service declares one as a bean.
 */
public interface ProjectedStream<T> {

    SubscriptionSettings settings();

    AppendOnlyTable table();

    /** The current row, read by column name. */
    T read(ResultSet row) throws SQLException;

    /** Applies the batch on {@code transaction}; the caller commits it with the checkpoint, or rolls both back. */
    void apply(Connection transaction, List<T> batch) throws SQLException;
}

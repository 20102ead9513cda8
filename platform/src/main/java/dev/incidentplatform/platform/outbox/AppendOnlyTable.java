package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * An append-only table read in commit order, as a service declares it. The table has {@code transaction_id xid8
 * DEFAULT pg_current_xact_id()} and {@code position bigint} (an identity) and an index on both; it is read by
 * (transaction id, position), only below the oldest transaction still running ({@code pg_snapshot_xmin}), so a row
 * committed late never slips behind a checkpoint.
 *
 * @param table the table, read under the alias {@code entry}
 * @param select what to read, by name, e.g. {@code "entry.event_id, entry.data::text AS data"}; readers take the
 *        columns by these names
 * @param joins joined to each batch after it was picked from the (transaction_id, position) index alone (so the plan
 *        stays an index range scan that stops after one batch), e.g. {@code "JOIN decision d ON d.id = entry.decision_id"};
 *        empty when none
 * @param recordedAt the column saying when a row was written: the lag's age, and the latency's start
 * @param notifyChannel the channel a trigger on the table notifies on commit (wakes the subscribers), or null to poll
 */
public record AppendOnlyTable(String table, String select, String joins, String recordedAt, String notifyChannel) {

    /** One row read, where it stands and what the declaration made of it. */
    public record Row<T>(Cursor cursor, Instant recordedAt, T value) {
    }

    /** Makes something of the current row of the result, reading its columns by name. */
    @FunctionalInterface
    public interface RowReader<T> {
        T read(ResultSet row) throws SQLException;
    }

    /** The rows after a checkpoint, and how long the oldest of them has waited (zero when none waits). */
    public record Backlog(long rows, Duration oldest) {
    }

    public AppendOnlyTable {
        Objects.requireNonNull(table);
        Objects.requireNonNull(select);
        joins = joins == null ? "" : joins;
        Objects.requireNonNull(recordedAt);
    }

    /**
     * Up to {@code limit} rows after {@code after}, in commit order, written by transactions that have ended. One
     * statement: in autocommit mode it holds no transaction open; inside a transaction call it before the
     * transaction's first write, so its own id does not hold the horizon back.
     */
    public <T> List<Row<T>> read(Connection connection, Cursor after, int limit, RowReader<T> reader) throws SQLException {
        String joined = joins.isBlank() ? "" : " " + joins;
        try (PreparedStatement query = connection.prepareStatement("SELECT entry.transaction_id::text AS outbox_transaction_id,"
                + " entry.position AS outbox_position, entry." + recordedAt + " AS outbox_recorded_at, " + select
                + " FROM (SELECT * FROM " + table + " WHERE (transaction_id, position) > (CAST(? AS xid8), ?)"
                + " AND transaction_id < pg_snapshot_xmin(pg_current_snapshot())"
                + " ORDER BY transaction_id, position LIMIT ?) entry" + joined
                + " ORDER BY entry.transaction_id, entry.position")) {
            query.setString(1, after.transactionIdText());
            query.setLong(2, after.position());
            query.setInt(3, limit);
            query.setFetchSize(limit);
            List<Row<T>> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    Cursor cursor = new Cursor(Long.parseUnsignedLong(result.getString("outbox_transaction_id")),
                            result.getLong("outbox_position"));
                    rows.add(new Row<>(cursor, result.getTimestamp("outbox_recorded_at").toInstant(), reader.read(result)));
                }
            }
            return rows;
        }
    }

    /** What waits after the checkpoint {@code checkpoint} (committed or not yet visible), measured now. */
    public Backlog backlog(Connection connection, String checkpoint) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT count(*) AS waiting, min(entry." + recordedAt
                + ") AS oldest, now() AS measured_at FROM " + table + " entry, checkpoint c WHERE c.name = ?"
                + " AND (entry.transaction_id, entry.position) > (c.last_transaction_id, c.last_position)")) {
            query.setString(1, checkpoint);
            try (ResultSet rows = query.executeQuery()) {
                if (!rows.next()) {
                    return new Backlog(0, Duration.ZERO);
                }
                Timestamp oldest = rows.getTimestamp("oldest");
                Duration age = oldest == null ? Duration.ZERO
                        : Duration.between(oldest.toInstant(), rows.getTimestamp("measured_at").toInstant());
                return new Backlog(rows.getLong("waiting"), age.isNegative() ? Duration.ZERO : age);
            }
        }
    }
}

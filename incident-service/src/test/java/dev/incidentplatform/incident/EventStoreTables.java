package dev.incidentplatform.incident;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

/** Direct reads of the service's tables, for tests that compare what the API, Kafka and the database say. */
public final class EventStoreTables {

    private EventStoreTables() {
    }

    public record Row(UUID eventId, UUID streamId, int version, String type, String data) {
    }

    public static long count(DataSource dataSource) {
        return single(dataSource, "SELECT count(*) FROM event");
    }

    public static long single(DataSource dataSource, String sql) {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Every event in commit-safe order (the relay's order). */
    public static List<Row> events(DataSource dataSource) {
        return events(dataSource, "SELECT event_id, stream_id, version, type, data::text FROM event ORDER BY transaction_id, position");
    }

    public static List<Row> stream(DataSource dataSource, String streamId) {
        return events(dataSource, "SELECT event_id, stream_id, version, type, data::text FROM event WHERE stream_id = '"
                + UUID.fromString(streamId) + "' ORDER BY version");
    }

    private static List<Row> events(DataSource dataSource, String sql) {
        List<Row> events = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                events.add(new Row(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getInt(3), rows.getString(4),
                        rows.getString(5)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return events;
    }

    /** A table's rows as text, ordered, for comparing two versions of a read model. */
    public static List<String> dump(DataSource dataSource, String table, String orderBy) {
        List<String> rows = new ArrayList<>();
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet result = statement.executeQuery("SELECT t::text FROM " + table + " t ORDER BY " + orderBy)) {
            while (result.next()) {
                rows.add(result.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }
}

package dev.incidentplatform.incident.projection;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Queries of the read models behind {@code GET /api/incidents} and {@code GET /api/status}. */
@ApplicationScoped
public class ReadModels {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    public ReadModels(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Page<T>(List<T> items, long totalItems) {
    }

    /** An incident in the list; resolvedAt and reviewVersion are absent until it is resolved and reviewed. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record IncidentSummary(UUID id, String title, String severity, String impact, String status,
            List<ComponentEntry> components, Instant startedAt, Instant openedAt, String openedBy, Instant updatedAt,
            Instant resolvedAt, int version, Integer reviewVersion) {
    }

    /** A service in some regions (or ["global"]) with a status, as the incident's latest event lists it. */
    public record ComponentEntry(String service, List<String> regions, String status) {
    }

    public record ServiceRegionStatus(String service, String region, String status, List<Cause> incidents, Instant since) {
    }

    /** An unresolved incident that gives a service in a region its status, and the status it gives. */
    public record Cause(UUID incidentId, String status) {
    }

    private static final TypeReference<List<ComponentEntry>> COMPONENTS = new TypeReference<>() {
    };
    private static final TypeReference<List<Cause>> CAUSES = new TypeReference<>() {
    };

    /** Newest first; {@code status}, {@code service}, {@code region} filter when not null. */
    public Page<IncidentSummary> incidents(String status, String service, String region, int page, int size) throws SQLException {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (status != null) {
            where.append(" AND status = ?");
            parameters.add(status);
        }
        if (service != null && region != null) {
            // The incident names the service in that region, or everywhere.
            where.append(" AND affected && ?");
            parameters.add(new String[] { service + "/" + region, service + "/global" });
        } else if (service != null) {
            where.append(" AND services @> ?");
            parameters.add(new String[] { service });
        } else if (region != null) {
            where.append(" AND regions && ?");
            parameters.add(new String[] { region, "global" });
        }
        try (Connection connection = dataSource.getConnection()) {
            long total = count(connection, "SELECT count(*) FROM incident_summary" + where, parameters);
            List<IncidentSummary> items = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT incident_id, title, severity, impact, status,"
                    + " components::text AS components, started_at, opened_at, opened_by, updated_at, resolved_at, version, review_version"
                    + " FROM incident_summary" + where + " ORDER BY opened_at DESC, incident_id LIMIT ? OFFSET ?")) {
                int next = bind(connection, query, parameters);
                query.setInt(next, size);
                query.setLong(next + 1, (long) page * size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        items.add(new IncidentSummary(rows.getObject("incident_id", UUID.class), rows.getString("title"),
                                rows.getString("severity"), rows.getString("impact"), rows.getString("status"),
                                JSON.readValue(rows.getString("components"), COMPONENTS), instant(rows.getTimestamp("started_at")),
                                instant(rows.getTimestamp("opened_at")), rows.getString("opened_by"),
                                instant(rows.getTimestamp("updated_at")), instant(rows.getTimestamp("resolved_at")),
                                rows.getInt("version"), (Integer) rows.getObject("review_version")));
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return new Page<>(items, total);
        }
    }

    public Page<ServiceRegionStatus> status(String service, int page, int size) throws SQLException {
        String where = service == null ? "" : " WHERE service = ?";
        List<Object> parameters = service == null ? List.of() : List.of(service);
        try (Connection connection = dataSource.getConnection()) {
            long total = count(connection, "SELECT count(*) FROM component_status" + where, parameters);
            List<ServiceRegionStatus> items = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT service, region, status, incidents::text, since"
                    + " FROM component_status" + where + " ORDER BY service, region LIMIT ? OFFSET ?")) {
                int next = bind(connection, query, parameters);
                query.setInt(next, size);
                query.setLong(next + 1, (long) page * size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        items.add(new ServiceRegionStatus(rows.getString(1), rows.getString(2), rows.getString(3),
                                JSON.readValue(rows.getString(4), CAUSES), instant(rows.getTimestamp(5))));
                    }
                }
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
            return new Page<>(items, total);
        }
    }

    private static long count(Connection connection, String sql, List<Object> parameters) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(sql)) {
            bind(connection, query, parameters);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static int bind(Connection connection, PreparedStatement query, List<Object> parameters) throws SQLException {
        int index = 1;
        for (Object parameter : parameters) {
            if (parameter instanceof String[] array) {
                query.setArray(index++, connection.createArrayOf("text", array));
            } else {
                query.setObject(index++, parameter);
            }
        }
        return index;
    }

    private static Instant instant(Timestamp timestamp) {
        return timestamp == null ? null : timestamp.toInstant();
    }
}

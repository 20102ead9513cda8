package dev.incidentplatform.incident.projection;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.incident.domain.ComponentMap;
import dev.incidentplatform.incident.domain.ComponentStatus;
import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.domain.IncidentEvent.IncidentOpened;
import dev.incidentplatform.incident.domain.IncidentEvent.ReviewPublished;
import dev.incidentplatform.incident.domain.IncidentEvent.UpdatePosted;
import dev.incidentplatform.incident.domain.IncidentStatus;
import dev.incidentplatform.incident.domain.StatusBoard;
import dev.incidentplatform.incident.eventstore.StoredEvent;
import dev.incidentplatform.incident.events.EventCodec.Decoded;

/**
 * Applies events to the read models (incident_summary, incident_component, component_status) on the caller's
 * connection and transaction. Every value written comes from the events alone, never from a clock, so a rebuild
 * into fresh tables ({@code suffix} "_rebuild") produces exactly the live tables.
 */
final class ReadModelWriter {

    static final List<String> TABLES = List.of("incident_summary", "incident_component", "component_status");

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Connection connection;
    private final String summary;
    private final String components;
    private final String status;

    ReadModelWriter(Connection connection, String suffix) {
        this.connection = connection;
        this.summary = "incident_summary" + suffix;
        this.components = "incident_component" + suffix;
        this.status = "component_status" + suffix;
    }

    void apply(List<StoredEvent> events) throws SQLException {
        for (StoredEvent stored : events) {
            Decoded decoded = stored.decode();
            apply(decoded.event(), decoded.envelope().streamVersion(), decoded.envelope().occurredAt());
        }
    }

    private void apply(IncidentEvent event, int version, Instant occurredAt) throws SQLException {
        if (event instanceof IncidentOpened opened) {
            ComponentMap map = ComponentMap.of(opened.components());
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + summary
                    + " (incident_id, title, severity, impact, status, components, services, regions, affected, started_at,"
                    + " opened_at, opened_by, updated_at, resolved_at, version, review_version)"
                    + " VALUES (?, ?, ?, ?, ?, CAST(? AS jsonb), ?, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)")) {
                insert.setObject(1, opened.incidentId());
                insert.setString(2, opened.title());
                insert.setString(3, opened.severity().name());
                insert.setString(4, map.impact().wire());
                insert.setString(5, opened.status().wire());
                insert.setString(6, json(opened.components()));
                insert.setArray(7, texts(map.services()));
                insert.setArray(8, texts(map.regions()));
                insert.setArray(9, texts(affected(map)));
                insert.setTimestamp(10, Timestamp.from(opened.startedAt()));
                insert.setTimestamp(11, Timestamp.from(occurredAt));
                insert.setString(12, opened.author());
                insert.setTimestamp(13, Timestamp.from(occurredAt));
                insert.setInt(14, version);
                insert.executeUpdate();
            }
            insertComponents(opened.incidentId(), map);
            refreshStatus(map.services(), occurredAt);
        } else if (event instanceof UpdatePosted update) {
            ComponentMap map = ComponentMap.of(update.components());
            boolean resolved = update.status() == IncidentStatus.RESOLVED;
            Set<ComponentMap.Entry> before = deleteComponents(update.incidentId());
            try (PreparedStatement change = connection.prepareStatement("UPDATE " + summary + " SET status = ?, impact = ?,"
                    + " components = CAST(? AS jsonb), services = ?, regions = ?, affected = ?, updated_at = ?, resolved_at = ?,"
                    + " version = ? WHERE incident_id = ?")) {
                change.setString(1, update.status().wire());
                change.setString(2, map.impact().wire());
                change.setString(3, json(update.components()));
                change.setArray(4, texts(map.services()));
                change.setArray(5, texts(map.regions()));
                change.setArray(6, texts(affected(map)));
                change.setTimestamp(7, Timestamp.from(occurredAt));
                change.setTimestamp(8, resolved ? Timestamp.from(update.effectiveAt()) : null);
                change.setInt(9, version);
                change.setObject(10, update.incidentId());
                requireOne(change.executeUpdate(), update.incidentId());
            }
            // A resolved incident's impact is over whatever its components say (contracts/README.md).
            Set<ComponentMap.Entry> after = resolved ? Set.of() : new LinkedHashSet<>(map.entries());
            if (!after.isEmpty()) {
                insertComponents(update.incidentId(), map);
            }
            // Most updates change the status or the message, not the components: the board is left alone then, so
            // its cost does not grow with the number of open incidents on a service.
            Set<String> changed = new LinkedHashSet<>();
            for (ComponentMap.Entry entry : before) {
                if (!after.contains(entry)) {
                    changed.add(entry.service());
                }
            }
            for (ComponentMap.Entry entry : after) {
                if (!before.contains(entry)) {
                    changed.add(entry.service());
                }
            }
            refreshStatus(changed, occurredAt);
        } else if (event instanceof ReviewPublished review) {
            try (PreparedStatement change = connection.prepareStatement("UPDATE " + summary
                    + " SET review_version = ?, version = ?, updated_at = ? WHERE incident_id = ?")) {
                change.setInt(1, review.reviewVersion());
                change.setInt(2, version);
                change.setTimestamp(3, Timestamp.from(occurredAt));
                change.setObject(4, review.incidentId());
                requireOne(change.executeUpdate(), review.incidentId());
            }
        }
    }

    private void insertComponents(UUID incidentId, ComponentMap map) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + components
                + " (incident_id, service, region, status) VALUES (?, ?, ?, ?)")) {
            for (ComponentMap.Entry entry : map.entries()) {
                insert.setObject(1, incidentId);
                insert.setString(2, entry.service());
                insert.setString(3, entry.region());
                insert.setString(4, entry.status().wire());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }

    /** Removes the incident's component rows and returns them. */
    private Set<ComponentMap.Entry> deleteComponents(UUID incidentId) throws SQLException {
        Set<ComponentMap.Entry> removed = new LinkedHashSet<>();
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + components
                + " WHERE incident_id = ? RETURNING service, region, status")) {
            delete.setObject(1, incidentId);
            try (ResultSet rows = delete.executeQuery()) {
                while (rows.next()) {
                    removed.add(new ComponentMap.Entry(rows.getString(1), rows.getString(2),
                            ComponentStatus.parse(rows.getString(3)).orElseThrow()));
                }
            }
        }
        return removed;
    }

    /** Recomputes the status board rows of the services an event touched; a row keeps its {@code since} while unchanged. */
    private void refreshStatus(Set<String> services, Instant occurredAt) throws SQLException {
        for (String service : services) {
            List<StatusBoard.IncidentComponent> rows = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT incident_id, region, status FROM " + components
                    + " WHERE service = ?")) {
                query.setString(1, service);
                try (ResultSet result = query.executeQuery()) {
                    while (result.next()) {
                        rows.add(new StatusBoard.IncidentComponent(result.getObject(1, UUID.class), result.getString(2),
                                ComponentStatus.parse(result.getString(3)).orElseThrow()));
                    }
                }
            }
            Map<String, Previous> previous = new HashMap<>();
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + status
                    + " WHERE service = ? RETURNING region, status, incidents::text, since")) {
                delete.setString(1, service);
                try (ResultSet result = delete.executeQuery()) {
                    while (result.next()) {
                        previous.put(result.getString(1), new Previous(result.getString(2), JSON.readTree(result.getString(3)).toString(),
                                result.getTimestamp(4)));
                    }
                } catch (JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO " + status
                    + " (service, region, status, incidents, since) VALUES (?, ?, ?, CAST(? AS jsonb), ?)")) {
                for (StatusBoard.RegionStatus region : StatusBoard.of(rows)) {
                    String incidents = json(region.incidents().stream()
                            .map(cause -> Map.of("incidentId", cause.incidentId().toString(), "status", cause.status().wire()))
                            .toList());
                    String normalized = JSON.readTree(incidents).toString();
                    Previous before = previous.get(region.region());
                    boolean unchanged = before != null && before.status().equals(region.status().wire())
                            && Objects.equals(JSON.readTree(before.incidents()), JSON.readTree(normalized));
                    insert.setString(1, service);
                    insert.setString(2, region.region());
                    insert.setString(3, region.status().wire());
                    insert.setString(4, incidents);
                    insert.setTimestamp(5, unchanged ? before.since() : Timestamp.from(occurredAt));
                    insert.addBatch();
                }
                insert.executeBatch();
            } catch (JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private record Previous(String status, String incidents, Timestamp since) {
    }

    private static Set<String> affected(ComponentMap map) {
        Set<String> pairs = new LinkedHashSet<>();
        map.entries().forEach(entry -> pairs.add(entry.service() + "/" + entry.region()));
        return pairs;
    }

    private Array texts(Set<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static String json(Object value) {
        try {
            if (value instanceof List<?> list && !list.isEmpty() && list.get(0) instanceof Component) {
                @SuppressWarnings("unchecked")
                List<Component> components = (List<Component>) list;
                value = components.stream().map(c -> Map.of("service", c.service(), "regions", c.regions(),
                        "status", c.status().wire())).toList();
            }
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void requireOne(int rows, UUID incidentId) {
        if (rows != 1) {
            throw new IllegalStateException("The read model has no incident " + incidentId + " to update");
        }
    }
}

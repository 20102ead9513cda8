package dev.incidentplatform.compensation.outage;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.ComponentState;
import dev.incidentplatform.compensation.domain.ComponentStatus;
import dev.incidentplatform.compensation.domain.IncidentTimeline;
import dev.incidentplatform.compensation.domain.RegionSet;
import dev.incidentplatform.compensation.domain.StatusChange;
import dev.incidentplatform.compensation.domain.TimeWindow;

/** inbox, incident_event and outage_window; every method runs on the caller's connection (its transaction). */
@ApplicationScoped
public class IncidentRepository {

    private final ObjectMapper json;

    public IncidentRepository(ObjectMapper json) {
        this.json = json;
    }

    /** Records the event as applied; false if it was applied before (redelivery or replay). */
    public boolean recordInInbox(Connection c, IncidentEvent event, String topic, int partition, long offset) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO inbox (event_id, event_type, topic, partition, "offset") VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING""")) {
            insert.setObject(1, event.eventId());
            insert.setString(2, event.type());
            insert.setString(3, topic);
            insert.setInt(4, partition);
            insert.setLong(5, offset);
            return insert.executeUpdate() == 1;
        }
    }

    /** Stores what the event says about impact; false if the incident already has an event at that stream version. */
    public boolean store(Connection c, IncidentEvent event) throws SQLException {
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO incident_event (event_id, incident_id, stream_version, event_type, effective_at, resolves,
                    components, actor, correlation_id, occurred_at) VALUES (?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?)
                ON CONFLICT (incident_id, stream_version) DO NOTHING""")) {
            insert.setObject(1, event.eventId());
            insert.setObject(2, event.incidentId());
            insert.setLong(3, event.streamVersion());
            insert.setString(4, event.type());
            insert.setTimestamp(5, Timestamp.from(event.effectiveAt()));
            insert.setBoolean(6, event.resolves());
            insert.setString(7, event.componentsJson());
            insert.setString(8, event.actor());
            insert.setString(9, event.correlationId());
            insert.setTimestamp(10, Timestamp.from(event.occurredAt()));
            return insert.executeUpdate() == 1;
        }
    }

    public IncidentTimeline timeline(Connection c, UUID incidentId) throws SQLException {
        return timelines(c, List.of(incidentId)).get(incidentId);
    }

    public Map<UUID, IncidentTimeline> timelines(Connection c, Collection<UUID> incidentIds) throws SQLException {
        Map<UUID, List<StatusChange>> changes = new LinkedHashMap<>();
        incidentIds.forEach(id -> changes.put(id, new ArrayList<>()));
        try (PreparedStatement query = c.prepareStatement("""
                SELECT incident_id, stream_version, effective_at, resolves, components::text AS components FROM incident_event
                WHERE incident_id = ANY (?) ORDER BY incident_id, stream_version""")) {
            query.setArray(1, c.createArrayOf("uuid", incidentIds.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    changes.get(rows.getObject("incident_id", UUID.class)).add(new StatusChange(rows.getLong("stream_version"),
                            rows.getTimestamp("effective_at").toInstant(), rows.getBoolean("resolves"),
                            components(rows.getString("components"))));
                }
            }
        }
        Map<UUID, IncidentTimeline> timelines = new HashMap<>();
        changes.forEach((id, list) -> timelines.put(id, new IncidentTimeline(id, list)));
        return timelines;
    }

    private List<ComponentState> components(String text) {
        try {
            List<ComponentState> states = new ArrayList<>();
            for (JsonNode component : json.readTree(text)) {
                List<String> regions = new ArrayList<>();
                component.path("regions").forEach(region -> regions.add(region.asText()));
                states.add(new ComponentState(component.path("service").asText(), RegionSet.of(regions),
                        ComponentStatus.fromWire(component.path("status").asText())));
            }
            return states;
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored components are not JSON", e);
        }
    }

    /** Replaces the incident's derived outage windows with those of its current timeline. */
    public void replaceWindows(Connection c, IncidentTimeline timeline) throws SQLException {
        try (PreparedStatement delete = c.prepareStatement("DELETE FROM outage_window WHERE incident_id = ?")) {
            delete.setObject(1, timeline.incidentId());
            delete.executeUpdate();
        }
        try (PreparedStatement insert = c.prepareStatement("""
                INSERT INTO outage_window (incident_id, service, region, starts_at, ends_at, resolved) VALUES (?, ?, ?, ?, ?, ?)""")) {
            for (String service : timeline.services()) {
                for (Map.Entry<String, List<TimeWindow>> region : timeline.downtimeByRegion(service).entrySet()) {
                    for (TimeWindow window : region.getValue()) {
                        insert.setObject(1, timeline.incidentId());
                        insert.setString(2, service);
                        insert.setString(3, region.getKey());
                        insert.setTimestamp(4, Timestamp.from(window.start()));
                        insert.setTimestamp(5, window.end().equals(IncidentTimeline.OPEN) ? null : Timestamp.from(window.end()));
                        insert.setBoolean(6, timeline.isResolved());
                        insert.addBatch();
                    }
                }
            }
            insert.executeBatch();
        }
    }

    /** The timelines of the resolved incidents with downtime of {@code service} in {@code month}. */
    public Collection<IncidentTimeline> resolvedTimelinesWithDowntime(Connection c, String service, BillingMonth month)
            throws SQLException {
        List<UUID> ids = new ArrayList<>();
        try (PreparedStatement query = c.prepareStatement("""
                SELECT DISTINCT incident_id FROM outage_window
                WHERE service = ? AND resolved AND starts_at < ? AND coalesce(ends_at, 'infinity') > ?""")) {
            query.setString(1, service);
            query.setTimestamp(2, Timestamp.from(month.end()));
            query.setTimestamp(3, Timestamp.from(month.start()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    ids.add(rows.getObject("incident_id", UUID.class));
                }
            }
        }
        return timelines(c, ids).values();
    }
}

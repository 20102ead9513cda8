package dev.incidentplatform.notification.fanout;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.CreditNotice;
import dev.incidentplatform.notification.domain.CreditNotice.CreditedIncident;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.domain.IncidentNotice.IncidentState;
import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.domain.event.IncidentOpened;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.notification.domain.event.ReviewPublished;
import dev.incidentplatform.notification.domain.event.UpdatePosted;
import dev.incidentplatform.platform.consume.EventHandler.Coordinates;
import dev.incidentplatform.platform.tracing.Traceparents;
import dev.incidentplatform.platform.tracing.Tracing;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Applies a consumed event in one transaction: the inbox record (its event id: a second copy changes nothing), the
 * notice to render, and one pending delivery row per recipient and channel, chosen from the {@code recipient} view
 * (every channel's recipients) and written by a single {@code INSERT … SELECT} (no row passes through Java, so 100 000
 * recipients cost one statement, whatever channels they are on).
 */
@ApplicationScoped
public class FanOut {

    /**
     * The recipient rule of an incident notice, and the one place it is written: an active recipient (a subscriber who
     * has not unsubscribed, a webhook endpoint that is enabled: any channel's) hears about an incident event when one of
     * its components is in a service they follow (none listed: all) and in a region they follow (none listed: all) or
     * is {@code global}. A condition on row {@code s} of the {@code recipient} view in a query that starts with
     * {@link #AFFECTED} (the event's components, read once from the JSON parameter {@code [{service, regions}]}). Kept
     * in SQL so that one {@code INSERT … SELECT} writes a fan-out's deliveries; the test oracle
     * {@code RecipientRuleOracle} states it again in Java for the tests that hold this SQL to it.
     */
    static final String AFFECTED = """
            WITH affected AS MATERIALIZED (
                SELECT service, regions FROM jsonb_to_recordset(?::jsonb) AS c (service text, regions text[]))
            """;
    static final String RECEIVES_INCIDENT_NOTICE = " " + """
            s.active AND EXISTS (
                SELECT 1 FROM affected c
                WHERE (cardinality(s.services) = 0 OR c.service = ANY (s.services))
                  AND (cardinality(s.regions) = 0 OR 'global' = ANY (c.regions) OR s.regions && c.regions))""";

    /** The recipient rule of a credit notice: the credited customer's active recipients. */
    static final String RECEIVES_CREDIT_NOTICE = " s.active AND s.customer_id = ?";

    /** The span of one event's fan-out; its traceparent is stored with the notice, for the senders. */
    public static final String SPAN = "fan-out";

    private final DataSource dataSource;
    private final ObjectMapper mapper;
    private final Tracing tracing;

    public FanOut(DataSource dataSource, ObjectMapper mapper, Tracing tracing) {
        this.dataSource = dataSource;
        this.mapper = mapper;
        this.tracing = tracing;
    }

    /** What applying an event did. */
    public record Outcome(boolean duplicate, int recipients) {
    }

    /**
     * Applies the event in a transaction of its own. A failure is the caller's to retry or park (the consumer's
     * {@code platform.consume}); the record's offset is committed only after this returned or the record was parked.
     */
    public Outcome apply(NotificationEvent event, Coordinates source) {
        try (Tracing.ActiveSpan span = tracing.child(SPAN, SpanKind.INTERNAL)) {
            span.span().setAttribute("cloudevents.event_type", event.eventType());
            try {
                Outcome outcome = QuarkusTransaction.requiringNew().call(() -> applyInTransaction(event, source));
                span.span().setAttribute("notification.recipients", outcome.recipients());
                return outcome;
            } catch (RuntimeException e) {
                span.failed(e);
                throw e;
            }
        }
    }

    private Outcome applyInTransaction(NotificationEvent event, Coordinates source) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            if (!recordInInbox(connection, event, source)) {
                return new Outcome(true, 0);
            }
            int recipients;
            if (event instanceof IncidentOpened opened) {
                openIncident(connection, opened);
                recipients = fanOut(connection, event, opened.incidentId(), opened.streamVersion(), IncidentNotice.of(opened),
                        opened.components());
            } else if (event instanceof UpdatePosted update) {
                IncidentNotice notice = IncidentNotice.of(update, knownIncident(connection, update.incidentId()));
                advanceIncident(connection, update);
                recipients = fanOut(connection, event, update.incidentId(), update.streamVersion(), notice,
                        update.components());
            } else if (event instanceof ReviewPublished review) {
                IncidentState known = knownIncident(connection, review.incidentId());
                recipients = fanOut(connection, event, review.incidentId(), review.streamVersion(),
                        IncidentNotice.of(review, known), componentsOfLatestNotice(connection, review.incidentId()));
            } else {
                recipients = creditFanOut(connection, (CreditIssued) event);
            }
            return new Outcome(false, recipients);
        }
    }

    private static boolean recordInInbox(Connection connection, NotificationEvent event, Coordinates source) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO inbox (event_id, event_type, topic, partition, "offset") VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (event_id) DO NOTHING""")) {
            insert.setObject(1, event.eventId());
            insert.setString(2, event.eventType());
            insert.setString(3, source.topic());
            insert.setInt(4, source.partition());
            insert.setLong(5, source.offset());
            return insert.executeUpdate() == 1;
        }
    }

    private static void openIncident(Connection connection, IncidentOpened opened) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO incident (incident_id, title, severity, status, stream_version) VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (incident_id) DO NOTHING""")) {
            insert.setObject(1, opened.incidentId());
            insert.setString(2, opened.title());
            insert.setString(3, opened.severity());
            insert.setString(4, opened.status());
            insert.setInt(5, opened.streamVersion());
            insert.executeUpdate();
        }
    }

    private static void advanceIncident(Connection connection, UpdatePosted update) throws SQLException {
        try (PreparedStatement advance = connection.prepareStatement("""
                UPDATE incident SET status = ?, stream_version = ?, updated_at = now()
                WHERE incident_id = ? AND stream_version < ?""")) {
            advance.setString(1, update.status());
            advance.setInt(2, update.streamVersion());
            advance.setObject(3, update.incidentId());
            advance.setInt(4, update.streamVersion());
            advance.executeUpdate();
        }
    }

    /** Where an incident's impact began: its opening notice's effective time (the event's startedAt). */
    private static final String STARTED_AT = """
            (SELECT o.content->>'effectiveAt' FROM notice o
             WHERE o.incident_id = %s AND o.event_type = 'incident-opened' LIMIT 1)""";
    /** Where an incident's impact ends: the effective time of its first resolving update (as compensation counts it). */
    private static final String RESOLVED_AT = """
            (SELECT r.content->>'effectiveAt' FROM notice r
             WHERE r.incident_id = %s AND r.event_type = 'update-posted' AND r.content->>'status' = 'resolved'
             ORDER BY r.stream_version LIMIT 1)""";

    private static IncidentState knownIncident(Connection connection, UUID incidentId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT i.title, i.severity, i.status, "
                + STARTED_AT.formatted("i.incident_id") + " FROM incident i WHERE i.incident_id = ?")) {
            query.setObject(1, incidentId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? new IncidentState(row.getString(1), row.getString(2), row.getString(3),
                        instant(row.getString(4))) : null;
            }
        }
    }

    /**
     * The credited incidents by title and window, as far as this service saw them, in one query: credit-issued names
     * only their ids, and a mail should not have to look them up per recipient.
     */
    private static List<CreditedIncident> creditedIncidents(Connection connection, List<UUID> incidentIds) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT c.incident_id, i.title, "
                + STARTED_AT.formatted("c.incident_id") + ", " + RESOLVED_AT.formatted("c.incident_id") + """
                 FROM unnest(?::uuid[]) WITH ORDINALITY AS c (incident_id, position)
                LEFT JOIN incident i ON i.incident_id = c.incident_id
                ORDER BY c.position""")) {
            query.setArray(1, connection.createArrayOf("uuid", incidentIds.toArray()));
            List<CreditedIncident> incidents = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    incidents.add(new CreditedIncident(rows.getObject(1, UUID.class), rows.getString(2),
                            instant(rows.getString(3)), instant(rows.getString(4))));
                }
            }
            return incidents;
        }
    }

    private static Instant instant(String stored) {
        return stored == null ? null : Instant.parse(stored);
    }

    /** A review reaches whoever heard about the incident's last state: the components of its latest notice. */
    private List<Component> componentsOfLatestNotice(Connection connection, UUID incidentId) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT content FROM notice WHERE incident_id = ? AND event_type <> 'review-published'
                ORDER BY stream_version DESC LIMIT 1""")) {
            query.setObject(1, incidentId);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? read(row.getString(1), IncidentNotice.class).components() : List.of();
            }
        }
    }

    private int fanOut(Connection connection, NotificationEvent event, UUID incidentId, int streamVersion, Object content,
            List<Component> components) throws SQLException {
        insertNotice(connection, event, incidentId, streamVersion, content);
        if (components.isEmpty()) {
            return 0;
        }
        try (PreparedStatement insert = connection.prepareStatement(AFFECTED + """
                INSERT INTO delivery (event_id, recipient_id, channel, incident_id)
                SELECT ?, s.id, s.channel, ? FROM recipient s WHERE""" + RECEIVES_INCIDENT_NOTICE)) {
            insert.setString(1, componentsJson(components));
            insert.setObject(2, event.eventId());
            insert.setObject(3, incidentId);
            return countRecipients(connection, event, insert.executeUpdate());
        }
    }

    private int creditFanOut(Connection connection, CreditIssued credit) throws SQLException {
        insertNotice(connection, credit, null, null,
                new CreditNotice(credit, creditedIncidents(connection, credit.incidentIds())));
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO delivery (event_id, recipient_id, channel)
                SELECT ?, s.id, s.channel FROM recipient s WHERE""" + RECEIVES_CREDIT_NOTICE)) {
            insert.setObject(1, credit.eventId());
            insert.setString(2, credit.customerId());
            return countRecipients(connection, credit, insert.executeUpdate());
        }
    }

    private void insertNotice(Connection connection, NotificationEvent event, UUID incidentId, Integer streamVersion,
            Object content) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO notice (event_id, event_type, incident_id, stream_version, occurred_at, content, recipients,
                    traceparent)
                VALUES (?, ?, ?, ?, ?, ?::jsonb, 0, ?)""")) {
            insert.setObject(1, event.eventId());
            insert.setString(2, event.eventType());
            insert.setObject(3, incidentId);
            insert.setObject(4, streamVersion);
            insert.setTimestamp(5, Timestamp.from(event.occurredAt()));
            insert.setString(6, write(content));
            insert.setString(7, Traceparents.current().orElse(null));
            insert.executeUpdate();
        }
    }

    private static int countRecipients(Connection connection, NotificationEvent event, int recipients) throws SQLException {
        try (PreparedStatement update = connection.prepareStatement("UPDATE notice SET recipients = ? WHERE event_id = ?")) {
            update.setInt(1, recipients);
            update.setObject(2, event.eventId());
            update.executeUpdate();
        }
        return recipients;
    }

    private String componentsJson(List<Component> components) {
        return write(components.stream().map(c -> Map.of("service", c.service(), "regions", c.regions())).toList());
    }

    private String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}

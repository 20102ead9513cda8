package dev.incidentplatform.notification.feed;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.notice.StoredNotices;

/**
 * The newest incident notices (never credits: those are one customer's), read from the {@code notice} table the
 * fan-out writes: one statement, walking index {@code notice_feed} newest first until it has enough entries.
 */
@ApplicationScoped
public class FeedStore {

    /** The notice types a feed shows; a type added to the service later is not published until it is listed here. */
    static final String FEED_TYPES = "('incident-opened', 'update-posted', 'review-published')";

    /**
     * What an entry is about: its own components, or for a review (whose event names none) those of the incident's
     * last status notice before it, which is also whom the fan-out sent the review to.
     */
    static final String COMPONENTS = """
            CASE WHEN n.event_type = 'review-published' THEN (
                SELECT p.content -> 'components' FROM notice p
                WHERE p.incident_id = n.incident_id AND p.event_type <> 'review-published'
                  AND p.stream_version < n.stream_version
                ORDER BY p.stream_version DESC LIMIT 1)
            ELSE n.content -> 'components' END""";

    /**
     * The filter's rule, the subscriber recipient rule of {@code FanOut.RECEIVES_INCIDENT_NOTICE} with the filter
     * {@code w} in the subscriber's place: an entry matches when one of its components is in a listed service (none
     * listed: all) and in a listed region (none listed: all) or is {@code global}. A condition on entry {@code e}
     * (its {@code components}) of a query that starts with {@link #WANTED}.
     */
    static final String WANTED = """
            WITH wanted AS MATERIALIZED (SELECT ?::text[] AS services, ?::text[] AS regions)
            """;
    static final String MATCHES_FILTER = " " + """
            EXISTS (
                SELECT 1 FROM wanted w, jsonb_to_recordset(e.components) AS c (service text, regions text[])
                WHERE (cardinality(w.services) = 0 OR c.service = ANY (w.services))
                  AND (cardinality(w.regions) = 0 OR 'global' = ANY (c.regions) OR w.regions && c.regions))""";

    private final DataSource dataSource;
    private final StoredNotices stored;

    public FeedStore(DataSource dataSource, StoredNotices stored) {
        this.dataSource = dataSource;
        this.stored = stored;
    }

    /** A notice as the feed shows it, before it has a link. */
    record StoredEntry(UUID eventId, Instant occurredAt, Instant recordedAt, IncidentNotice notice) {
    }

    /** The newest {@code limit} notices that match the filter, newest first (ties: by event id). */
    List<StoredEntry> newest(FeedFilter filter, int limit) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(query(filter))) {
            query.setArray(1, connection.createArrayOf("text", filter.services().toArray()));
            query.setArray(2, connection.createArrayOf("text", filter.regions().toArray()));
            query.setInt(3, limit);
            List<StoredEntry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    IncidentNotice notice = stored.incident(rows.getString("content"));
                    String components = rows.getString("components");
                    List<Component> shown = components == null ? List.of() : stored.components(components);
                    entries.add(new StoredEntry(rows.getObject("event_id", UUID.class),
                            rows.getObject("occurred_at", OffsetDateTime.class).toInstant(),
                            rows.getObject("created_at", OffsetDateTime.class).toInstant(), FeedEntry.cleaned(notice, shown)));
                }
            }
            return entries;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The statement of {@link #newest}: parameters the filter's services and regions (text[]) and the limit. */
    static String query(FeedFilter filter) {
        return WANTED
                + "SELECT e.event_id, e.occurred_at, e.created_at, e.content, e.components FROM (\n"
                + "    SELECT n.event_id, n.occurred_at, n.created_at, n.content, " + COMPONENTS + " AS components\n"
                + "    FROM notice n WHERE n.event_type IN " + FEED_TYPES + ") e\n"
                + (filter.none() ? "" : "WHERE" + MATCHES_FILTER + "\n")
                + "ORDER BY e.occurred_at DESC, e.event_id DESC LIMIT ?";
    }

}

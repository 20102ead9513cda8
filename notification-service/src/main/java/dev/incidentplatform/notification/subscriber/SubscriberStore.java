package dev.incidentplatform.notification.subscriber;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.notification.metrics.NotificationMetrics;

/**
 * Subscribers in PostgreSQL. Every change records who made it; removing or unsubscribing someone cancels the
 * deliveries still waiting for them, in the same transaction.
 */
@ApplicationScoped
public class SubscriberStore {

    static final String UNIQUE_EMAIL = "subscriber_email_unique";
    private static final String COLUMNS = """
            id, email, name, customer_id, services, regions, locale, time_zone, unsubscribed_at, created_at, created_by,
            updated_at, updated_by, version""";

    private final DataSource dataSource;
    private final NotificationMetrics metrics;

    public SubscriberStore(DataSource dataSource, NotificationMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /** Filters of the list; null means "any". */
    public record Filter(String email, String customerId, String service, String region, Boolean unsubscribed) {
    }

    public record Page(List<Subscriber> items, int page, int size, long totalItems) {
    }

    @Transactional
    public Subscriber create(SubscriberDraft draft, String actor) {
        requireValid(draft);
        UUID id = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement insert = connection.prepareStatement("""
                        INSERT INTO subscriber (id, email, email_normalized, name, customer_id, services, regions, locale,
                            time_zone, created_by, updated_by)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                        RETURNING""" + " " + COLUMNS)) {
            insert.setObject(1, id);
            insert.setString(2, draft.email());
            insert.setString(3, draft.normalizedEmail());
            insert.setString(4, draft.name());
            insert.setString(5, draft.customerId());
            insert.setArray(6, texts(connection, draft.services()));
            insert.setArray(7, texts(connection, draft.regions()));
            insert.setString(8, draft.locale());
            insert.setString(9, draft.timeZone());
            insert.setString(10, actor);
            insert.setString(11, actor);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return subscriber(row);
            }
        } catch (SQLException e) {
            throw translate(e, draft);
        }
    }

    public Optional<Subscriber> find(UUID id) {
        try (Connection connection = dataSource.getConnection()) {
            return find(connection, id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<Subscriber> find(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM subscriber WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(subscriber(row)) : Optional.empty();
            }
        }
    }

    /** Replaces the subscriber's fields; {@code expectedVersion} (from If-Match) guards against lost updates. */
    @Transactional
    public Subscriber update(UUID id, SubscriberDraft draft, Long expectedVersion, String actor) {
        requireValid(draft);
        try (Connection connection = dataSource.getConnection()) {
            long current = lockVersion(connection, id);
            if (expectedVersion != null && expectedVersion != current) {
                throw new StaleVersionException(expectedVersion, current);
            }
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE subscriber SET email = ?, email_normalized = ?, name = ?, customer_id = ?, services = ?, regions = ?,
                        locale = ?, time_zone = ?, updated_at = now(), updated_by = ?, version = version + 1
                    WHERE id = ?
                    RETURNING""" + " " + COLUMNS)) {
                update.setString(1, draft.email());
                update.setString(2, draft.normalizedEmail());
                update.setString(3, draft.name());
                update.setString(4, draft.customerId());
                update.setArray(5, texts(connection, draft.services()));
                update.setArray(6, texts(connection, draft.regions()));
                update.setString(7, draft.locale());
                update.setString(8, draft.timeZone());
                update.setString(9, actor);
                update.setObject(10, id);
                try (ResultSet row = update.executeQuery()) {
                    row.next();
                    return subscriber(row);
                }
            }
        } catch (SQLException e) {
            throw translate(e, draft);
        }
    }

    @Transactional
    public void delete(UUID id, Long expectedVersion) {
        try (Connection connection = dataSource.getConnection()) {
            long current = lockVersion(connection, id);
            if (expectedVersion != null && expectedVersion != current) {
                throw new StaleVersionException(expectedVersion, current);
            }
            cancelPendingDeliveries(connection, id, "the subscriber was deleted");
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM subscriber WHERE id = ?")) {
                delete.setObject(1, id);
                delete.executeUpdate();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Marks the subscriber unsubscribed and cancels what still waits for them. Idempotent: a repeated unsubscribe
     * changes nothing (neither the time nor the version), so a mail client's retries leave no trace.
     *
     * @return false when no such subscriber exists (any more)
     */
    @Transactional
    public boolean unsubscribe(UUID id, String actor) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement update = connection.prepareStatement("""
                        UPDATE subscriber SET unsubscribed_at = now(), updated_at = now(), updated_by = ?, version = version + 1
                        WHERE id = ? AND unsubscribed_at IS NULL""")) {
            update.setString(1, actor);
            update.setObject(2, id);
            if (update.executeUpdate() == 0) {
                return find(connection, id).isPresent();
            }
            cancelPendingDeliveries(connection, id, "the subscriber unsubscribed");
            return true;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Page list(Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (filter.email() != null) {
            where.append(" AND email_normalized = lower(?)");
            parameters.add(filter.email().strip());
        }
        if (filter.customerId() != null) {
            where.append(" AND customer_id = ?");
            parameters.add(filter.customerId());
        }
        if (filter.service() != null) {
            // Whoever would hear about this service: they follow it, or they follow every service.
            where.append(" AND (cardinality(services) = 0 OR ? = ANY (services))");
            parameters.add(filter.service());
        }
        if (filter.region() != null) {
            where.append(" AND (cardinality(regions) = 0 OR ? = ANY (regions))");
            parameters.add(filter.region());
        }
        if (filter.unsubscribed() != null) {
            where.append(filter.unsubscribed() ? " AND unsubscribed_at IS NOT NULL" : " AND unsubscribed_at IS NULL");
        }
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM subscriber" + where)) {
                bind(count, parameters);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            List<Subscriber> items = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement(
                    "SELECT " + COLUMNS + " FROM subscriber" + where + " ORDER BY created_at, id LIMIT ? OFFSET ?")) {
                bind(query, parameters);
                query.setInt(parameters.size() + 1, size);
                query.setLong(parameters.size() + 2, (long) page * size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        items.add(subscriber(rows));
                    }
                }
            }
            return new Page(items, page, size, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private void cancelPendingDeliveries(Connection connection, UUID subscriberId, String reason) throws SQLException {
        // Rows being sent right now are left to finish: that one send may still arrive.
        try (PreparedStatement cancel = connection.prepareStatement("""
                UPDATE delivery SET status = 'cancelled', updated_at = now(), last_error = ?
                WHERE recipient_id = ? AND channel = 'email' AND (status = 'pending' OR (status = 'coalesced' AND covered_by IN (
                    SELECT id FROM delivery WHERE recipient_id = ? AND channel = 'email' AND status = 'pending')))""")) {
            cancel.setString(1, reason);
            cancel.setObject(2, subscriberId);
            cancel.setObject(3, subscriberId);
            metrics.cancelled("email", cancel.executeUpdate());
        }
    }

    private static long lockVersion(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT version FROM subscriber WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, id);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new SubscriberNotFoundException(id);
                }
                return row.getLong(1);
            }
        }
    }

    private static void requireValid(SubscriberDraft draft) {
        var violations = draft.violations();
        if (!violations.isEmpty()) {
            throw InvalidInputException.of(violations);
        }
    }

    private RuntimeException translate(SQLException e, SubscriberDraft draft) {
        if ("23505".equals(e.getSQLState()) && String.valueOf(e.getMessage()).contains(UNIQUE_EMAIL)) {
            return new InvalidInputException("A subscriber with this email address already exists.",
                    List.of(new InvalidInputException.Problem(null, "email",
                            "'" + draft.email() + "' is already subscribed (addresses are compared regardless of case)")),
                    true);
        }
        return new IllegalStateException(e);
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    static Subscriber subscriber(ResultSet row) throws SQLException {
        OffsetDateTime unsubscribed = row.getObject("unsubscribed_at", OffsetDateTime.class);
        return new Subscriber(row.getObject("id", UUID.class), row.getString("email"), row.getString("name"),
                row.getString("customer_id"), List.of((String[]) row.getArray("services").getArray()),
                List.of((String[]) row.getArray("regions").getArray()), row.getString("locale"), row.getString("time_zone"),
                unsubscribed == null ? null : unsubscribed.toInstant(),
                row.getObject("created_at", OffsetDateTime.class).toInstant(), row.getString("created_by"),
                row.getObject("updated_at", OffsetDateTime.class).toInstant(), row.getString("updated_by"),
                row.getLong("version"));
    }
}

package dev.incidentplatform.notification.webhook;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.domain.WebhookDraft;
import dev.incidentplatform.platform.problem.ProblemException;

/**
 * Webhook endpoints in PostgreSQL: their settings (changed under the caller's transaction, version-checked), and the
 * health the channel records after each request (short statements of their own, atomic in SQL, so that senders on
 * several instances agree on when an endpoint has failed for long enough).
 */
@ApplicationScoped
public class WebhookStore {

    private static final String COLUMNS = """
            id, url, format, services, regions, customer_id, contact, enabled, disabled_at, disabled_reason, failing_since,
            last_success_at, last_failure_at, last_failure, contact_notified_at, secret_rotated_at,
            previous_secret_expires_at, created_at, created_by, updated_at, updated_by, version""";

    private final DataSource dataSource;

    public WebhookStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Filter(String customerId, String service, String region, Boolean enabled) {
    }

    public record Page(List<Webhook> items, long totalItems) {
    }

    /** What the channel needs to send to an endpoint: where, how, and the secrets that sign (sealed). */
    public record Target(UUID id, String url, String format, boolean enabled, String sealedSecret,
            String sealedPreviousSecret) {
    }

    /** A disabled endpoint whose contact is to be told, claimed by one sweep. */
    public record ContactNotice(UUID id, String url, String contact, Instant disabledAt, String disabledReason) {
    }

    /** Inserts the endpoint; runs in the caller's transaction ({@code connection}). */
    public Webhook create(Connection connection, UUID id, WebhookDraft draft, String sealedSecret, String actor)
            throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO webhook_endpoint (id, url, format, services, regions, customer_id, contact, secret, enabled,
                    disabled_at, disabled_reason, created_by, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, CASE WHEN ? THEN NULL ELSE now() END, CASE WHEN ? THEN NULL ELSE ? END, ?, ?)
                RETURNING""" + " " + COLUMNS)) {
            boolean enabled = draft.enabled() == null || draft.enabled();
            insert.setObject(1, id);
            insert.setString(2, draft.url());
            insert.setString(3, draft.format());
            insert.setArray(4, texts(connection, draft.services()));
            insert.setArray(5, texts(connection, draft.regions()));
            insert.setString(6, draft.customerId());
            insert.setString(7, draft.contact());
            insert.setString(8, sealedSecret);
            insert.setBoolean(9, enabled);
            insert.setBoolean(10, enabled);
            insert.setBoolean(11, enabled);
            insert.setString(12, "created disabled by " + actor);
            insert.setString(13, actor);
            insert.setString(14, actor);
            try (ResultSet row = insert.executeQuery()) {
                row.next();
                return webhook(row);
            }
        }
    }

    public Optional<Webhook> find(UUID id) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_endpoint WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? Optional.of(webhook(row)) : Optional.empty();
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Replaces the endpoint's settings. Re-enabling clears the failure history and the contact notice; disabling by
     * hand records who did it; a new URL starts with a clean failure history.
     */
    public Webhook update(Connection connection, UUID id, WebhookDraft draft, Long expectedVersion, String actor)
            throws SQLException {
        lockVersion(connection, id, expectedVersion);
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE webhook_endpoint SET
                    failing_since = CASE WHEN url <> ? OR (? AND NOT enabled) THEN NULL ELSE failing_since END,
                    contact_notice_due = CASE WHEN ? AND NOT enabled THEN false ELSE contact_notice_due END,
                    contact_notified_at = CASE WHEN ? AND NOT enabled THEN NULL ELSE contact_notified_at END,
                    contact_notice_attempts = CASE WHEN ? AND NOT enabled THEN 0 ELSE contact_notice_attempts END,
                    disabled_at = CASE WHEN ? AND NOT enabled THEN NULL WHEN ? AND enabled THEN now() ELSE disabled_at END,
                    disabled_reason = CASE WHEN ? AND NOT enabled THEN NULL WHEN ? AND enabled THEN ? ELSE disabled_reason END,
                    enabled = CASE WHEN ? THEN true WHEN ? THEN false ELSE enabled END,
                    url = ?, format = ?, services = ?, regions = ?, customer_id = ?, contact = ?,
                    updated_at = now(), updated_by = ?, version = version + 1
                WHERE id = ?
                RETURNING""" + " " + COLUMNS)) {
            boolean enable = Boolean.TRUE.equals(draft.enabled());
            boolean disable = Boolean.FALSE.equals(draft.enabled());
            int i = 0;
            update.setString(++i, draft.url());
            update.setBoolean(++i, enable);
            update.setBoolean(++i, enable);
            update.setBoolean(++i, enable);
            update.setBoolean(++i, enable);
            update.setBoolean(++i, enable);
            update.setBoolean(++i, disable);
            update.setBoolean(++i, enable);
            update.setBoolean(++i, disable);
            update.setString(++i, "disabled by " + actor);
            update.setBoolean(++i, enable);
            update.setBoolean(++i, disable);
            update.setString(++i, draft.url());
            update.setString(++i, draft.format());
            update.setArray(++i, texts(connection, draft.services()));
            update.setArray(++i, texts(connection, draft.regions()));
            update.setString(++i, draft.customerId());
            update.setString(++i, draft.contact());
            update.setString(++i, actor);
            update.setObject(++i, id);
            try (ResultSet row = update.executeQuery()) {
                row.next();
                return webhook(row);
            }
        }
    }

    /** Makes {@code sealedSecret} the signing secret; the one it replaces signs too until {@code previousValidity} ends. */
    public Webhook rotate(Connection connection, UUID id, String sealedSecret, String sealedPrevious, Duration previousValidity,
            Long expectedVersion, String actor) throws SQLException {
        lockVersion(connection, id, expectedVersion);
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE webhook_endpoint SET secret = ?, previous_secret = ?,
                    previous_secret_expires_at = now() + make_interval(secs => ?), secret_rotated_at = now(),
                    updated_at = now(), updated_by = ?, version = version + 1
                WHERE id = ?
                RETURNING""" + " " + COLUMNS)) {
            update.setString(1, sealedSecret);
            update.setString(2, sealedPrevious);
            update.setDouble(3, previousValidity.toMillis() / 1000.0);
            update.setString(4, actor);
            update.setObject(5, id);
            try (ResultSet row = update.executeQuery()) {
                row.next();
                return webhook(row);
            }
        }
    }

    /** The sealed current secret, read under the row lock of the caller's transaction. */
    public String sealedSecret(Connection connection, UUID id) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT secret FROM webhook_endpoint WHERE id = ? FOR UPDATE")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    throw new WebhookNotFoundException(id);
                }
                return row.getString(1);
            }
        }
    }

    public void delete(Connection connection, UUID id, Long expectedVersion) throws SQLException {
        lockVersion(connection, id, expectedVersion);
        try (PreparedStatement delete = connection.prepareStatement("DELETE FROM webhook_endpoint WHERE id = ?")) {
            delete.setObject(1, id);
            delete.executeUpdate();
        }
    }

    public Page list(Filter filter, int page, int size) {
        StringBuilder where = new StringBuilder(" WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (filter.customerId() != null) {
            where.append(" AND customer_id = ?");
            parameters.add(filter.customerId());
        }
        if (filter.service() != null) {
            where.append(" AND (cardinality(services) = 0 OR ? = ANY (services))");
            parameters.add(filter.service());
        }
        if (filter.region() != null) {
            where.append(" AND (cardinality(regions) = 0 OR ? = ANY (regions))");
            parameters.add(filter.region());
        }
        if (filter.enabled() != null) {
            where.append(filter.enabled() ? " AND enabled" : " AND NOT enabled");
        }
        try (Connection connection = dataSource.getConnection()) {
            long total;
            try (PreparedStatement count = connection.prepareStatement("SELECT count(*) FROM webhook_endpoint" + where)) {
                bind(count, parameters);
                try (ResultSet row = count.executeQuery()) {
                    row.next();
                    total = row.getLong(1);
                }
            }
            List<Webhook> items = new ArrayList<>();
            try (PreparedStatement query = connection.prepareStatement("SELECT " + COLUMNS + " FROM webhook_endpoint" + where
                    + " ORDER BY created_at, id LIMIT ? OFFSET ?")) {
                bind(query, parameters);
                query.setInt(parameters.size() + 1, size);
                query.setLong(parameters.size() + 2, (long) page * size);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        items.add(webhook(rows));
                    }
                }
            }
            return new Page(items, total);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The endpoints of a batch, by id; an id without a row is missing from the map (deleted). */
    public Map<UUID, Target> targets(Collection<UUID> ids) {
        Map<UUID, Target> targets = new HashMap<>();
        if (ids.isEmpty()) {
            return targets;
        }
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("""
                        SELECT id, url, format, enabled, secret,
                            CASE WHEN previous_secret_expires_at > now() THEN previous_secret END AS previous_secret
                        FROM webhook_endpoint WHERE id = ANY (?)""")) {
            query.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    targets.put(id, new Target(id, rows.getString("url"), rows.getString("format"), rows.getBoolean("enabled"),
                            rows.getString("secret"), rows.getString("previous_secret")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return targets;
    }

    /** A 2xx: the endpoint works again. */
    public void recordSuccess(UUID id) {
        execute("""
                UPDATE webhook_endpoint SET failing_since = NULL, last_success_at = now() WHERE id = ?""",
                statement -> statement.setObject(1, id));
    }

    /**
     * A failed request: starts the failing period at the first failure since a success, and disables the endpoint
     * (its contact to be told) once it has failed for {@code failingPeriod}.
     *
     * @return true when this failure disabled it
     */
    public boolean recordFailure(UUID id, String reason, Duration failingPeriod) {
        execute("""
                UPDATE webhook_endpoint SET failing_since = coalesce(failing_since, now()), last_failure_at = now(),
                    last_failure = ?
                WHERE id = ?""", statement -> {
            statement.setString(1, reason);
            statement.setObject(2, id);
        });
        return execute("""
                UPDATE webhook_endpoint SET enabled = false, disabled_at = now(),
                    disabled_reason = 'no successful delivery since ' || to_char(failing_since AT TIME ZONE 'UTC',
                        'YYYY-MM-DD"T"HH24:MI:SS"Z"') || ' (failing period ' || ? || '); last failure: ' || coalesce(last_failure, ''),
                    contact_notice_due = contact IS NOT NULL, contact_notice_attempts = 0, contact_notice_last_error = NULL,
                    version = version + 1, updated_at = now(), updated_by = 'webhook channel'
                WHERE id = ? AND enabled AND failing_since <= now() - make_interval(secs => ?)""", statement -> {
            statement.setString(1, failingPeriod.toString());
            statement.setObject(2, id);
            statement.setDouble(3, failingPeriod.toMillis() / 1000.0);
        }) == 1;
    }

    /**
     * The endpoint said it is gone (410): disabled at once, its contact to be told.
     *
     * @return true when this disabled it
     */
    public boolean disableGone(UUID id, String reason) {
        return execute("""
                UPDATE webhook_endpoint SET enabled = false, disabled_at = now(), disabled_reason = ?,
                    failing_since = coalesce(failing_since, now()), last_failure_at = now(), last_failure = ?,
                    contact_notice_due = contact IS NOT NULL, contact_notice_attempts = 0, contact_notice_last_error = NULL,
                    version = version + 1, updated_at = now(), updated_by = 'webhook channel'
                WHERE id = ? AND enabled""", statement -> {
            statement.setString(1, reason);
            statement.setString(2, reason);
            statement.setObject(3, id);
        }) == 1;
    }

    /**
     * Claims up to {@code limit} due contact notices for {@code lease} (another instance's sweep skips them meanwhile;
     * one whose sweep died is due again after it).
     */
    public List<ContactNotice> claimContactNotices(int limit, Duration lease) {
        List<ContactNotice> notices = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
                PreparedStatement claim = connection.prepareStatement("""
                        UPDATE webhook_endpoint SET contact_notice_lease_until = now() + make_interval(secs => ?)
                        WHERE id IN (
                            SELECT id FROM webhook_endpoint
                            WHERE contact_notice_due AND NOT enabled
                              AND (contact_notice_lease_until IS NULL OR contact_notice_lease_until < now())
                            ORDER BY disabled_at LIMIT ? FOR UPDATE SKIP LOCKED)
                        RETURNING id, url, contact, disabled_at, disabled_reason""")) {
            claim.setDouble(1, lease.toMillis() / 1000.0);
            claim.setInt(2, limit);
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    notices.add(new ContactNotice(rows.getObject("id", UUID.class), rows.getString("url"),
                            rows.getString("contact"), instant(rows, "disabled_at"), rows.getString("disabled_reason")));
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return notices;
    }

    /** The contact was mailed: never again for this disabling. */
    public void contactNotified(UUID id) {
        execute("""
                UPDATE webhook_endpoint SET contact_notice_due = false, contact_notified_at = now(),
                    contact_notice_lease_until = NULL, contact_notice_attempts = contact_notice_attempts + 1,
                    contact_notice_last_error = NULL
                WHERE id = ?""", statement -> statement.setObject(1, id));
    }

    /** The mail failed: due again after {@code retryIn}. */
    public void contactNoticeFailed(UUID id, String error, Duration retryIn) {
        execute("""
                UPDATE webhook_endpoint SET contact_notice_lease_until = now() + make_interval(secs => ?),
                    contact_notice_attempts = contact_notice_attempts + 1, contact_notice_last_error = ?
                WHERE id = ?""", statement -> {
            statement.setDouble(1, retryIn.toMillis() / 1000.0);
            statement.setString(2, error);
            statement.setObject(3, id);
        });
    }

    private interface Binder {
        void bind(PreparedStatement statement) throws SQLException;
    }

    private int execute(String sql, Binder binder) {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            binder.bind(statement);
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void lockVersion(Connection connection, UUID id, Long expectedVersion) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement("SELECT version FROM webhook_endpoint WHERE id = ? FOR UPDATE")) {
            lock.setObject(1, id);
            try (ResultSet row = lock.executeQuery()) {
                if (!row.next()) {
                    throw new WebhookNotFoundException(id);
                }
                long current = row.getLong(1);
                if (expectedVersion != null && expectedVersion != current) {
                    throw new ProblemException(412, "The webhook is at version " + current + ", not " + expectedVersion
                            + "; read it again and retry.");
                }
            }
        }
    }

    private static void bind(PreparedStatement statement, List<Object> parameters) throws SQLException {
        for (int i = 0; i < parameters.size(); i++) {
            statement.setObject(i + 1, parameters.get(i));
        }
    }

    private static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }

    private static Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    static Webhook webhook(ResultSet row) throws SQLException {
        return new Webhook(row.getObject("id", UUID.class), row.getString("url"), row.getString("format"),
                List.of((String[]) row.getArray("services").getArray()), List.of((String[]) row.getArray("regions").getArray()),
                row.getString("customer_id"), row.getString("contact"), row.getBoolean("enabled"), instant(row, "disabled_at"),
                row.getString("disabled_reason"), instant(row, "failing_since"), instant(row, "last_success_at"),
                instant(row, "last_failure_at"), row.getString("last_failure"), instant(row, "contact_notified_at"),
                instant(row, "secret_rotated_at"), instant(row, "previous_secret_expires_at"), instant(row, "created_at"),
                row.getString("created_by"), instant(row, "updated_at"), row.getString("updated_by"), row.getLong("version"));
    }
}

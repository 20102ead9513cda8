package dev.incidentplatform.notification.delivery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.notification.metrics.NotificationMetrics;
import dev.incidentplatform.notification.domain.Coalescing;
import dev.incidentplatform.notification.domain.Coalescing.Candidate;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The delivery rows as a work queue shared by every sender of every instance: claims take due rows with
 * {@code FOR UPDATE SKIP LOCKED} (no two senders get the same row) and lease them; outcomes are recorded in short
 * transactions right after each send, so a crash repeats at most the send that was in flight.
 */
@ApplicationScoped
public class DeliveryStore {

    private final DataSource dataSource;
    private final String messageIdDomain;
    private final NotificationMetrics metrics;

    public DeliveryStore(DataSource dataSource, NotificationConfig config, NotificationMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
        this.messageIdDomain = config.mail().messageIdDomain();
    }

    /** A claimed row; its Message-ID is chosen after coalescing (null until then). */
    private record Claimed(UUID id, UUID subscriberId, UUID incidentId, String eventType, int streamVersion, int attempts,
            String messageId) {

        Candidate candidate() {
            return new Candidate(id, eventType, streamVersion);
        }
    }

    private record Thread(UUID incidentId, UUID subscriberId) {
    }

    /**
     * The status of a row that goes back to the queue (a failed send, a released claim, an expired lease): pending
     * while its subscriber is still subscribed, otherwise cancelled. Unsubscribing or deleting cancels pending rows but
     * leaves a row being sent alone; when that send fails, the row must not come back for someone who has left.
     * FOR SHARE waits for an unsubscribe in progress and reads its outcome; a deleted subscriber reads as NULL.
     */
    private static final String REQUEUED_STATUS = """
            CASE WHEN (SELECT s.unsubscribed_at IS NULL FROM subscriber s WHERE s.id = delivery.subscriber_id FOR SHARE)
                 THEN 'pending' ELSE 'cancelled' END""";

    /** Claims up to {@code limit} due deliveries for {@code owner}, coalescing pending notices of the same thread. */
    public List<ClaimedDelivery> claim(String owner, int limit, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                List<Claimed> claimed = withoutContestedThreads(connection, owner, claimDue(connection, owner, limit, lease));
                if (claimed.isEmpty()) {
                    return List.of();
                }
                List<Claimed> senders = coalesce(connection, claimed);
                assignMessageIds(connection, senders);
                return load(connection, senders);
            }
        });
    }

    private static List<Claimed> claimDue(Connection connection, String owner, int limit, Duration lease) throws SQLException {
        // A row waits while another row of its thread is being sent: one thread's mails leave in order, one at a time.
        try (PreparedStatement claim = connection.prepareStatement("""
                WITH due AS MATERIALIZED (
                    SELECT d.id FROM delivery d
                    WHERE d.status = 'pending' AND d.next_attempt_at <= now()
                      AND (d.incident_id IS NULL OR NOT EXISTS (
                          SELECT 1 FROM delivery busy WHERE busy.incident_id = d.incident_id
                            AND busy.subscriber_id = d.subscriber_id AND busy.status = 'sending'))
                    ORDER BY d.next_attempt_at
                    LIMIT ?
                    FOR UPDATE SKIP LOCKED)
                UPDATE delivery d
                SET status = 'sending', claimed_by = ?, lease_until = now() + ? * interval '1 millisecond',
                    attempts = d.attempts + 1, updated_at = now()
                FROM due, notice n
                WHERE d.id = due.id AND n.event_id = d.event_id
                RETURNING d.id, d.subscriber_id, d.incident_id, n.event_type, coalesce(n.stream_version, 0), d.attempts""")) {
            claim.setInt(1, limit);
            claim.setString(2, owner);
            claim.setLong(3, lease.toMillis());
            List<Claimed> claimed = new ArrayList<>();
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    claimed.add(new Claimed(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class),
                            rows.getObject(3, UUID.class), rows.getString(4), rows.getInt(5), rows.getInt(6), null));
                }
            }
            return claimed;
        }
    }

    /**
     * One sender per thread at a time, also across instances: the claim's "no row of this thread is being sent" test
     * cannot see a claim committing concurrently, so each claimed thread is also taken with a transaction-scoped
     * advisory lock and checked again. Threads another sender holds go back to pending, untouched, for a later claim.
     */
    private static List<Claimed> withoutContestedThreads(Connection connection, String owner, List<Claimed> claimed)
            throws SQLException {
        List<Thread> threads = claimed.stream().filter(c -> c.incidentId() != null)
                .map(c -> new Thread(c.incidentId(), c.subscriberId())).distinct().toList();
        if (threads.isEmpty()) {
            return claimed;
        }
        List<Thread> contested = new ArrayList<>();
        try (PreparedStatement check = connection.prepareStatement("""
                SELECT t.incident_id, t.subscriber_id
                FROM unnest(?::uuid[], ?::uuid[]) AS t (incident_id, subscriber_id)
                WHERE NOT pg_try_advisory_xact_lock(hashtextextended(t.incident_id::text || t.subscriber_id::text, 0))
                   OR EXISTS (SELECT 1 FROM delivery busy WHERE busy.incident_id = t.incident_id
                              AND busy.subscriber_id = t.subscriber_id AND busy.status = 'sending'
                              AND busy.claimed_by IS DISTINCT FROM ?)""")) {
            check.setArray(1, uuids(connection, threads.stream().map(Thread::incidentId).toList()));
            check.setArray(2, uuids(connection, threads.stream().map(Thread::subscriberId).toList()));
            check.setString(3, owner);
            try (ResultSet rows = check.executeQuery()) {
                while (rows.next()) {
                    contested.add(new Thread(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class)));
                }
            }
        }
        if (contested.isEmpty()) {
            return claimed;
        }
        List<UUID> handBack = claimed.stream()
                .filter(c -> c.incidentId() != null && contested.contains(new Thread(c.incidentId(), c.subscriberId())))
                .map(Claimed::id).toList();
        try (PreparedStatement release = connection.prepareStatement("""
                UPDATE delivery SET status = 'pending', claimed_by = NULL, lease_until = NULL, attempts = attempts - 1
                WHERE id = ANY (?)""")) {
            release.setArray(1, uuids(connection, handBack));
            release.executeUpdate();
        }
        return claimed.stream().filter(c -> !handBack.contains(c.id())).toList();
    }

    /** Applies {@link Coalescing#plan} per thread; returns the deliveries that are sent (the others are covered). */
    private static List<Claimed> coalesce(Connection connection, List<Claimed> claimed) throws SQLException {
        Map<Thread, List<Claimed>> byThread = new LinkedHashMap<>();
        List<Claimed> senders = new ArrayList<>();
        for (Claimed delivery : claimed) {
            if (delivery.incidentId() == null) {
                senders.add(delivery);
            } else {
                byThread.computeIfAbsent(new Thread(delivery.incidentId(), delivery.subscriberId()), t -> new ArrayList<>())
                        .add(delivery);
            }
        }
        if (byThread.isEmpty()) {
            return senders;
        }
        Map<Thread, List<Candidate>> pending = pendingOfThreads(connection, byThread.keySet());
        Map<UUID, Claimed> byId = new HashMap<>();
        claimed.forEach(c -> byId.put(c.id(), c));
        // A covered row may itself have covered others in an earlier claim whose send then failed transiently: those
        // move to the new sender too, so its email carries every notice.
        try (PreparedStatement cover = connection.prepareStatement("""
                UPDATE delivery SET status = 'coalesced', covered_by = ?, claimed_by = NULL, lease_until = NULL,
                    updated_at = now()
                WHERE id = ? OR (covered_by = ? AND status = 'coalesced')""")) {
            for (Map.Entry<Thread, List<Claimed>> thread : byThread.entrySet()) {
                List<Candidate> candidates = thread.getValue().stream().map(Claimed::candidate).toList();
                for (Coalescing.Send send : Coalescing.plan(candidates, pending.getOrDefault(thread.getKey(), List.of()))) {
                    senders.add(byId.get(send.sender().deliveryId()));
                    for (Candidate covered : send.covered()) {
                        cover.setObject(1, send.sender().deliveryId());
                        cover.setObject(2, covered.deliveryId());
                        cover.setObject(3, covered.deliveryId());
                        cover.addBatch();
                    }
                }
            }
            cover.executeBatch();
        }
        return senders;
    }

    private static Map<Thread, List<Candidate>> pendingOfThreads(Connection connection, Collection<Thread> threads)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT d.id, d.incident_id, d.subscriber_id, n.event_type, n.stream_version
                FROM delivery d JOIN notice n ON n.event_id = d.event_id
                WHERE d.status = 'pending'
                  AND (d.incident_id, d.subscriber_id) IN (SELECT * FROM unnest(?::uuid[], ?::uuid[]))
                FOR UPDATE OF d SKIP LOCKED""")) {
            query.setArray(1, uuids(connection, threads.stream().map(Thread::incidentId).toList()));
            query.setArray(2, uuids(connection, threads.stream().map(Thread::subscriberId).toList()));
            Map<Thread, List<Candidate>> pending = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    pending.computeIfAbsent(new Thread(rows.getObject(2, UUID.class), rows.getObject(3, UUID.class)),
                            t -> new ArrayList<>())
                            .add(new Candidate(rows.getObject(1, UUID.class), rows.getString(4), rows.getInt(5)));
                }
            }
            return pending;
        }
    }

    /**
     * The first notice of an incident that reaches a subscriber carries the thread's root Message-ID
     * ({@link #rootMessageId}); every later one its own ({@code <notice-{delivery id}@…>}) and replies to the root. Both
     * are functions of the rows, so a send repeated after a crash carries the same Message-ID. The root is taken only
     * once a mail carrying it was sent: a first notice that failed, or was covered by a later one, leaves it free.
     */
    private void assignMessageIds(Connection connection, List<Claimed> senders) throws SQLException {
        List<Thread> threads = senders.stream().filter(s -> s.incidentId() != null)
                .map(s -> new Thread(s.incidentId(), s.subscriberId())).distinct().toList();
        List<Thread> rootSent = new ArrayList<>();
        if (!threads.isEmpty()) {
            try (PreparedStatement query = connection.prepareStatement("""
                    SELECT t.incident_id, t.subscriber_id
                    FROM unnest(?::uuid[], ?::uuid[]) AS t (incident_id, subscriber_id)
                    WHERE EXISTS (SELECT 1 FROM delivery d WHERE d.incident_id = t.incident_id
                                  AND d.subscriber_id = t.subscriber_id AND d.status = 'sent'
                                  AND d.message_id = '<incident-' || t.incident_id || '.' || t.subscriber_id || '@' || ? || '>')""")) {
                query.setArray(1, uuids(connection, threads.stream().map(Thread::incidentId).toList()));
                query.setArray(2, uuids(connection, threads.stream().map(Thread::subscriberId).toList()));
                query.setString(3, messageIdDomain);
                try (ResultSet rows = query.executeQuery()) {
                    while (rows.next()) {
                        rootSent.add(new Thread(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class)));
                    }
                }
            }
        }
        try (PreparedStatement assign = connection.prepareStatement("UPDATE delivery SET message_id = ? WHERE id = ?")) {
            for (int i = 0; i < senders.size(); i++) {
                Claimed delivery = senders.get(i);
                String messageId = "<notice-" + delivery.id() + "@" + messageIdDomain + ">";
                if (delivery.incidentId() != null) {
                    Thread thread = new Thread(delivery.incidentId(), delivery.subscriberId());
                    // Senders of one thread come earliest first (status notices before a review): the first takes the root.
                    if (!rootSent.contains(thread)) {
                        messageId = rootMessageId(delivery.incidentId(), delivery.subscriberId());
                        rootSent.add(thread);
                    }
                }
                senders.set(i, new Claimed(delivery.id(), delivery.subscriberId(), delivery.incidentId(), delivery.eventType(),
                        delivery.streamVersion(), delivery.attempts(), messageId));
                assign.setString(1, messageId);
                assign.setObject(2, delivery.id());
                assign.addBatch();
            }
            assign.executeBatch();
        }
    }

    public String rootMessageId(UUID incidentId, UUID subscriberId) {
        return "<incident-" + incidentId + "." + subscriberId + "@" + messageIdDomain + ">";
    }

    /** Recipients and notices of the deliveries to send; those whose subscriber left meanwhile are cancelled. */
    private List<ClaimedDelivery> load(Connection connection, List<Claimed> senders) throws SQLException {
        Map<UUID, List<String>> notices = new HashMap<>();
        Map<UUID, String> emails = new HashMap<>();
        Map<UUID, Instant> occurredAt = new HashMap<>();
        List<UUID> ids = senders.stream().map(Claimed::id).toList();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT coalesce(d.covered_by, d.id), d.id, n.content::text, n.occurred_at, n.stream_version,
                       CASE WHEN s.unsubscribed_at IS NULL THEN s.email END
                FROM delivery d
                JOIN notice n ON n.event_id = d.event_id
                LEFT JOIN subscriber s ON s.id = d.subscriber_id
                WHERE d.id = ANY (?) OR (d.covered_by = ANY (?) AND d.status = 'coalesced')
                ORDER BY n.stream_version NULLS FIRST""")) {
            Array array = uuids(connection, ids);
            query.setArray(1, array);
            query.setArray(2, array);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID sender = rows.getObject(1, UUID.class);
                    UUID id = rows.getObject(2, UUID.class);
                    notices.computeIfAbsent(sender, s -> new ArrayList<>()).add(rows.getString(3));
                    if (id.equals(sender)) {
                        occurredAt.put(id, rows.getTimestamp(4).toInstant());
                        emails.put(id, rows.getString(6));
                    }
                }
            }
        }
        List<ClaimedDelivery> deliveries = new ArrayList<>();
        List<UUID> departed = new ArrayList<>();
        for (Claimed delivery : senders) {
            String email = emails.get(delivery.id());
            if (email == null) {
                departed.add(delivery.id());
                continue;
            }
            String threadRoot = null;
            if (delivery.incidentId() != null) {
                String root = rootMessageId(delivery.incidentId(), delivery.subscriberId());
                threadRoot = root.equals(delivery.messageId()) ? null : root;
            }
            deliveries.add(new ClaimedDelivery(delivery.id(), delivery.subscriberId(), email, delivery.incidentId(),
                    delivery.eventType(), delivery.attempts(), delivery.messageId(), threadRoot, occurredAt.get(delivery.id()),
                    notices.getOrDefault(delivery.id(), List.of())));
        }
        if (!departed.isEmpty()) {
            try (PreparedStatement cancel = connection.prepareStatement("""
                    UPDATE delivery SET status = 'cancelled', claimed_by = NULL, lease_until = NULL, updated_at = now(),
                        last_error = 'the subscriber unsubscribed or was deleted before the send'
                    WHERE id = ANY (?) OR (covered_by = ANY (?) AND status = 'coalesced')""")) {
                Array array = uuids(connection, departed);
                cancel.setArray(1, array);
                cancel.setArray(2, array);
                metrics.cancelled(cancel.executeUpdate());
            }
        }
        return deliveries;
    }

    /** The send went out: the row (and those it covers) will never be sent again. */
    public boolean markSent(UUID id, String owner) {
        return update("""
                UPDATE delivery SET status = 'sent', sent_at = now(), lease_until = NULL, updated_at = now(), last_error = NULL
                WHERE id = ? AND status = 'sending' AND claimed_by = ?""", id, owner) == 1;
    }

    /** A transient failure: pending again after {@code delay}, with the reply kept for the log. */
    public void markRetry(UUID id, String owner, String error, Duration delay) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement retry = connection.prepareStatement("""
                            UPDATE delivery SET status = """ + REQUEUED_STATUS + """
                                , claimed_by = NULL, lease_until = NULL, last_error = ?,
                                next_attempt_at = now() + ? * interval '1 millisecond', updated_at = now()
                            WHERE id = ? AND status = 'sending' AND claimed_by = ?
                            RETURNING status""")) {
                retry.setString(1, error);
                retry.setLong(2, delay.toMillis());
                retry.setObject(3, id);
                retry.setString(4, owner);
                try (ResultSet row = retry.executeQuery()) {
                    if (row.next() && "cancelled".equals(row.getString(1))) {
                        metrics.cancelled(1);
                    }
                }
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Given up: the row and the notices it covered end as failed with the SMTP reply. */
    public void markFailed(UUID id, String owner, String error) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement fail = connection.prepareStatement("""
                            UPDATE delivery SET status = 'failed', claimed_by = NULL, lease_until = NULL, last_error = ?,
                                updated_at = now()
                            WHERE (id = ? AND status = 'sending' AND claimed_by = ?)
                               OR (covered_by = ? AND status = 'coalesced')""")) {
                fail.setString(1, error);
                fail.setObject(2, id);
                fail.setString(3, owner);
                fail.setObject(4, id);
                fail.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Hands back deliveries this sender claimed but will not send (shutdown, lease running short). */
    public void release(Collection<UUID> ids, String owner) {
        if (ids.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement release = connection.prepareStatement("""
                            UPDATE delivery SET status = """ + REQUEUED_STATUS + """
                                , claimed_by = NULL, lease_until = NULL, updated_at = now()
                            WHERE id = ANY (?) AND status = 'sending' AND claimed_by = ?""")) {
                release.setArray(1, uuids(connection, ids));
                release.setString(2, owner);
                release.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /**
     * Extends the lease of deliveries this sender still holds, before it sends them.
     *
     * @return the ids still held (a row whose lease ran out may have been taken by another sender: not ours to send)
     */
    public Set<UUID> renewLeases(Collection<UUID> ids, String owner, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement renew = connection.prepareStatement("""
                            UPDATE delivery SET lease_until = now() + ? * interval '1 millisecond'
                            WHERE id = ANY (?) AND status = 'sending' AND claimed_by = ?
                            RETURNING id""")) {
                renew.setLong(1, lease.toMillis());
                renew.setArray(2, uuids(connection, ids));
                renew.setString(3, owner);
                Set<UUID> held = new HashSet<>();
                try (ResultSet rows = renew.executeQuery()) {
                    while (rows.next()) {
                        held.add(rows.getObject(1, UUID.class));
                    }
                }
                return held;
            }
        });
    }

    /** Deliveries whose sender died mid-send (lease expired) are pending again; only that send may repeat. */
    public int releaseExpiredLeases() {
        return update("""
                UPDATE delivery SET status = """ + REQUEUED_STATUS + """
                    , claimed_by = NULL, lease_until = NULL, updated_at = now()
                WHERE status = 'sending' AND lease_until < now()""");
    }

    public long countPending() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM delivery WHERE status = 'pending'");
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    private int update(String sql, Object... parameters) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement statement = connection.prepareStatement(sql)) {
                for (int i = 0; i < parameters.length; i++) {
                    statement.setObject(i + 1, parameters[i]);
                }
                return statement.executeUpdate();
            }
        });
    }

    static Array uuids(Connection connection, Collection<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }
}

package dev.incidentplatform.notification.delivery;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
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

import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Notice;
import dev.incidentplatform.notification.domain.Coalescing;
import dev.incidentplatform.notification.domain.Coalescing.Candidate;
import dev.incidentplatform.notification.metrics.NotificationMetrics;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The delivery rows as a work queue shared by every sender of every instance and every channel: claims take due rows
 * with {@code FOR UPDATE SKIP LOCKED} (no two senders get the same row) and lease them; the owning instance's heartbeat
 * renews the leases of every row it holds, and any instance's sweep makes a row whose lease ran out (its instance
 * died) pending again; outcomes are recorded in batches, one statement per kind. Nothing here knows how a channel
 * reaches its recipients: "is the recipient still there" is the {@code recipient} view.
 */
@ApplicationScoped
public class DeliveryStore {

    static final String RECIPIENT_LEFT = "the recipient unsubscribed, was deleted or disabled before the send";

    /**
     * The status of a row that goes back to the queue (a failed send, an expired lease): pending while its recipient is
     * still active, otherwise cancelled. Unsubscribing cancels pending rows but leaves a row being sent alone; when that
     * send fails, the row must not come back for someone who has left. (A recipient who leaves while this runs is
     * caught by the next claim, which cancels rows of recipients who are no longer there.)
     */
    private static final String REQUEUED_STATUS = """
            CASE WHEN EXISTS (SELECT 1 FROM recipient r WHERE r.id = d.recipient_id AND r.channel = d.channel AND r.active)
                 THEN 'pending' ELSE 'cancelled' END""";

    /**
     * The claim: due rows of the given channels, earliest due first (among rows due at once, the ones already attempted:
     * a dead instance's rows are back at the front), skipping threads with a row being sent. Whether each claimed row's
     * recipient is still there is asked of the few rows claimed, after the LIMIT: in the scan it would read every
     * recipient. The limit is written into the statement (it is the configured batch size), so that a cached generic
     * plan knows it as well as the first custom ones.
     */
    static String claimDue(int limit) {
        return """
                WITH due AS MATERIALIZED (
                    SELECT d.id, d.recipient_id, d.channel
                    FROM delivery d
                    WHERE d.status = 'pending' AND d.next_attempt_at <= now() AND d.channel = ANY (?)
                      AND (d.incident_id IS NULL OR NOT EXISTS (
                          SELECT 1 FROM delivery busy WHERE busy.status = 'sending' AND busy.incident_id = d.incident_id
                            AND busy.recipient_id = d.recipient_id AND busy.channel = d.channel))
                    ORDER BY d.next_attempt_at, d.attempts DESC
                    LIMIT %d
                    FOR UPDATE OF d SKIP LOCKED),
                checked AS MATERIALIZED (
                    SELECT due.id, EXISTS (SELECT 1 FROM recipient r
                                           WHERE r.id = due.recipient_id AND r.channel = due.channel AND r.active) AS present
                    FROM due),
                claimed AS (
                    UPDATE delivery d
                    SET status = CASE WHEN checked.present THEN 'sending' ELSE 'cancelled' END,
                        claimed_by = CASE WHEN checked.present THEN ? END,
                        lease_until = CASE WHEN checked.present THEN now() + ? * interval '1 millisecond' END,
                        attempts = d.attempts + CASE WHEN checked.present THEN 1 ELSE 0 END,
                        last_error = CASE WHEN checked.present THEN d.last_error ELSE ? END,
                        updated_at = now()
                    FROM checked, notice n
                    WHERE d.id = checked.id AND n.event_id = d.event_id
                    RETURNING d.id, d.recipient_id, d.channel, d.incident_id, n.event_type,
                              coalesce(n.stream_version, 0) AS stream_version, d.attempts, checked.present, d.next_attempt_at)
                SELECT id, recipient_id, channel, incident_id, event_type, stream_version, attempts, present
                FROM claimed ORDER BY next_attempt_at, attempts DESC, id""".formatted(limit);
    }

    /** The pending rows of the claimed threads, locked for the coalescing. */
    static final String PENDING_OF_THREADS = """
            SELECT d.id, d.incident_id, d.recipient_id, d.channel, n.event_type, n.stream_version,
                   CASE WHEN d.next_attempt_at > now() THEN d.next_attempt_at END AS retry_at
            FROM delivery d JOIN notice n ON n.event_id = d.event_id
            WHERE d.status = 'pending'
              AND (d.incident_id, d.recipient_id, d.channel) IN (SELECT * FROM unnest(?::uuid[], ?::uuid[], ?::text[]))
            FOR UPDATE OF d SKIP LOCKED""";

    /**
     * Locks the given rows in id order. The heartbeat, the outcome writer, a hand-back and the sweep each update many
     * rows of one instance at once; taking the row locks in one order (a LockRows node above the sort) is what keeps
     * two of them from deadlocking, as they did when each locked in the order of its own join.
     */
    static final String LOCK_IN_ID_ORDER = "SELECT id FROM delivery WHERE id = ANY (?) ORDER BY id FOR UPDATE";

    /** The heartbeat, locking in id order. */
    static final String RENEW_LEASES = """
            WITH held AS (
                SELECT d.id FROM delivery d JOIN unnest(?::uuid[], ?::text[]) AS h (id, owner) ON d.id = h.id
                WHERE d.status = 'sending' AND d.claimed_by = h.owner
                ORDER BY d.id
                FOR UPDATE OF d)
            UPDATE delivery d SET lease_until = now() + ? * interval '1 millisecond'
            FROM held WHERE d.id = held.id
            RETURNING d.id""";

    /**
     * The sweep of expired leases, locking in id order; a row whose owner is writing it right now (alive after all) is
     * skipped rather than waited for.
     */
    static final String RELEASE_EXPIRED_LEASES = """
            WITH expired AS (
                SELECT id FROM delivery WHERE status = 'sending' AND lease_until < now()
                ORDER BY id
                FOR UPDATE SKIP LOCKED)
            UPDATE delivery d SET status = """ + REQUEUED_STATUS + """
                , claimed_by = NULL, lease_until = NULL, updated_at = now()
            FROM expired WHERE d.id = expired.id
            RETURNING d.id, d.status, d.channel""";

    /** Sent outcomes, one statement per batch. */
    static final String MARK_SENT = """
            UPDATE delivery d SET status = 'sent', sent_at = now(), lease_until = NULL, updated_at = now(), last_error = NULL
            FROM unnest(?::uuid[], ?::text[]) AS o (id, owner)
            WHERE d.id = o.id AND d.status = 'sending' AND d.claimed_by = o.owner
            RETURNING d.id""";

    private final DataSource dataSource;
    private final NotificationMetrics metrics;

    public DeliveryStore(DataSource dataSource, NotificationMetrics metrics) {
        this.dataSource = dataSource;
        this.metrics = metrics;
    }

    /** A row this claim holds (or took over from the pending ones of its thread). */
    private record Claimed(UUID id, UUID recipientId, String channel, UUID incidentId, String eventType, int streamVersion,
            int attempts) {

        Candidate candidate() {
            return new Candidate(id, eventType, streamVersion);
        }

        Thread thread() {
            return new Thread(incidentId, recipientId, channel);
        }
    }

    /** The deliveries of one incident to one recipient on one channel. */
    private record Thread(UUID incidentId, UUID recipientId, String channel) {
    }

    /**
     * A pending row of a thread, as the coalescing sees it, with what a takeover needs.
     *
     * @param retryAt when it waits for a retry (it failed, the other side asked for a pause), else null: due now
     */
    private record PendingRow(Candidate candidate, Thread thread, Instant retryAt) {
    }

    /**
     * Claims up to {@code limit} due deliveries of the given channels for {@code owner}: one per thread, carrying the
     * thread's pending status notices (coalescing); rows whose recipient has left are cancelled instead.
     *
     * @return the deliveries to send, in claim order (earliest due first)
     */
    public List<Delivery> claim(String owner, Collection<String> channels, int limit, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                withoutWaitingForTheDisk(connection);
                List<Claimed> claimed = claimDue(connection, owner, channels, limit, lease);
                claimed = withoutContestedThreads(connection, owner, claimed);
                if (claimed.isEmpty()) {
                    return List.of();
                }
                List<Claimed> senders = coalesce(connection, owner, claimed, lease);
                Set<UUID> openers = assignThreadOpeners(connection, senders);
                return load(connection, senders, openers);
            }
        });
    }

    private List<Claimed> claimDue(Connection connection, String owner, Collection<String> channels, int limit, Duration lease)
            throws SQLException {
        // A row waits while another row of its thread is being sent: one thread's deliveries leave in order, one at a
        // time. A row whose recipient has left is cancelled rather than claimed.
        List<Claimed> claimed = new ArrayList<>();
        Map<String, List<UUID>> departed = new HashMap<>();
        try (PreparedStatement claim = connection.prepareStatement(claimDue(limit))) {
            claim.setArray(1, connection.createArrayOf("text", channels.toArray()));
            claim.setString(2, owner);
            claim.setLong(3, lease.toMillis());
            claim.setString(4, RECIPIENT_LEFT);
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    UUID id = rows.getObject("id", UUID.class);
                    String channel = rows.getString("channel");
                    if (!rows.getBoolean("present")) {
                        departed.computeIfAbsent(channel, c -> new ArrayList<>()).add(id);
                        continue;
                    }
                    claimed.add(new Claimed(id, rows.getObject("recipient_id", UUID.class), channel,
                            rows.getObject("incident_id", UUID.class), rows.getString("event_type"), rows.getInt("stream_version"),
                            rows.getInt("attempts")));
                }
            }
        }
        for (Map.Entry<String, List<UUID>> gone : departed.entrySet()) {
            metrics.cancelled(gone.getKey(), gone.getValue().size() + cancelCovered(connection, gone.getValue(), RECIPIENT_LEFT));
        }
        return claimed;
    }

    /**
     * One sender per thread at a time, also across instances: the claim's "no row of this thread is being sent" test
     * cannot see a claim committing concurrently, so each claimed thread is also taken with a transaction-scoped
     * advisory lock and checked again. Threads another sender holds go back to pending, untouched, for a later claim.
     */
    private static List<Claimed> withoutContestedThreads(Connection connection, String owner, List<Claimed> claimed)
            throws SQLException {
        List<Thread> threads = claimed.stream().filter(c -> c.incidentId() != null).map(Claimed::thread).distinct().toList();
        if (threads.isEmpty()) {
            return claimed;
        }
        Set<Thread> contested = new HashSet<>();
        try (PreparedStatement check = connection.prepareStatement("""
                SELECT t.incident_id, t.recipient_id, t.channel
                FROM unnest(?::uuid[], ?::uuid[], ?::text[]) AS t (incident_id, recipient_id, channel)
                WHERE NOT pg_try_advisory_xact_lock(hashtextextended(
                          t.incident_id::text || t.recipient_id::text || t.channel, 0))
                   OR EXISTS (SELECT 1 FROM delivery busy WHERE busy.status = 'sending' AND busy.incident_id = t.incident_id
                              AND busy.recipient_id = t.recipient_id AND busy.channel = t.channel
                              AND busy.claimed_by IS DISTINCT FROM ?)""")) {
            bindThreads(connection, check, threads);
            check.setString(4, owner);
            try (ResultSet rows = check.executeQuery()) {
                while (rows.next()) {
                    contested.add(new Thread(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getString(3)));
                }
            }
        }
        if (contested.isEmpty()) {
            return claimed;
        }
        List<UUID> handBack = claimed.stream().filter(c -> c.incidentId() != null && contested.contains(c.thread()))
                .map(Claimed::id).toList();
        handBack(connection, handBack);
        Set<UUID> returned = new HashSet<>(handBack);
        return claimed.stream().filter(c -> !returned.contains(c.id())).toList();
    }

    /**
     * Applies {@link Coalescing#plan} per thread. Returns the deliveries to send (one per thread; a later pending
     * notice of the thread may take over as the sender); the others are covered or wait for a later claim.
     */
    private List<Claimed> coalesce(Connection connection, String owner, List<Claimed> claimed, Duration lease)
            throws SQLException {
        Map<Thread, List<Claimed>> byThread = new LinkedHashMap<>();
        List<Claimed> senders = new ArrayList<>();
        for (Claimed delivery : claimed) {
            if (delivery.incidentId() == null) {
                senders.add(delivery);
            } else {
                byThread.computeIfAbsent(delivery.thread(), t -> new ArrayList<>()).add(delivery);
            }
        }
        if (byThread.isEmpty()) {
            return senders;
        }
        Map<Thread, List<PendingRow>> pending = pendingOfThreads(connection, byThread.keySet());
        deferThreadsWaitingForARetry(connection, byThread, pending);
        List<UUID> handBack = new ArrayList<>();
        List<UUID> takeOver = new ArrayList<>();
        Map<UUID, PendingRow> pendingById = new HashMap<>();
        pending.values().forEach(rows -> rows.forEach(row -> pendingById.put(row.candidate().deliveryId(), row)));
        Map<UUID, Claimed> claimedById = new HashMap<>();
        claimed.forEach(c -> claimedById.put(c.id(), c));
        // A covered row may itself have covered others in an earlier claim whose send then failed transiently: those
        // move to the new sender too, so that it carries every notice.
        try (PreparedStatement cover = connection.prepareStatement("""
                UPDATE delivery SET status = 'coalesced', covered_by = ?, claimed_by = NULL, lease_until = NULL,
                    updated_at = now()
                WHERE id = ? OR (covered_by = ? AND status = 'coalesced')""")) {
            for (Map.Entry<Thread, List<Claimed>> thread : byThread.entrySet()) {
                List<Candidate> candidates = thread.getValue().stream().map(Claimed::candidate).toList();
                List<Candidate> pendingCandidates = pending.getOrDefault(thread.getKey(), List.of()).stream()
                        .map(PendingRow::candidate).toList();
                Coalescing.Plan plan = Coalescing.plan(candidates, pendingCandidates);
                UUID senderId = plan.send().sender().deliveryId();
                if (claimedById.containsKey(senderId)) {
                    senders.add(claimedById.get(senderId));
                } else {
                    takeOver.add(senderId);
                }
                for (Candidate covered : plan.send().covered()) {
                    cover.setObject(1, senderId);
                    cover.setObject(2, covered.deliveryId());
                    cover.setObject(3, covered.deliveryId());
                    cover.addBatch();
                }
                plan.handBack().forEach(c -> handBack.add(c.deliveryId()));
            }
            cover.executeBatch();
        }
        handBack(connection, handBack);
        senders.addAll(takeOver(connection, owner, lease, takeOver, pendingById));
        return senders;
    }

    /**
     * A thread with a row waiting for its retry waits as a whole: a newer notice must not reach a recipient who asked
     * for a pause (a Retry-After) or whose server is failing (the backoff) before the retry is due. Its claimed rows go
     * back to pending until then, when they leave together with the waiting one, as one delivery. Removes those
     * threads from {@code byThread}.
     */
    private static void deferThreadsWaitingForARetry(Connection connection, Map<Thread, List<Claimed>> byThread,
            Map<Thread, List<PendingRow>> pending) throws SQLException {
        try (PreparedStatement defer = connection.prepareStatement("""
                UPDATE delivery SET status = 'pending', claimed_by = NULL, lease_until = NULL, attempts = attempts - 1,
                    next_attempt_at = ?
                WHERE id = ANY (?)""")) {
            boolean any = false;
            for (var thread = byThread.entrySet().iterator(); thread.hasNext();) {
                Map.Entry<Thread, List<Claimed>> entry = thread.next();
                Instant retryAt = pending.getOrDefault(entry.getKey(), List.of()).stream().map(PendingRow::retryAt)
                        .filter(at -> at != null).max(Instant::compareTo).orElse(null);
                if (retryAt == null) {
                    continue;
                }
                defer.setTimestamp(1, Timestamp.from(retryAt));
                defer.setArray(2, uuids(connection, entry.getValue().stream().map(Claimed::id).toList()));
                defer.addBatch();
                any = true;
                thread.remove();
            }
            if (any) {
                defer.executeBatch();
            }
        }
    }

    /** Pending rows (locked by this claim) that the coalescing chose as their thread's sender become ours to send. */
    private static List<Claimed> takeOver(Connection connection, String owner, Duration lease, List<UUID> ids,
            Map<UUID, PendingRow> pendingById) throws SQLException {
        if (ids.isEmpty()) {
            return List.of();
        }
        List<Claimed> taken = new ArrayList<>();
        try (PreparedStatement take = connection.prepareStatement("""
                UPDATE delivery SET status = 'sending', claimed_by = ?, lease_until = now() + ? * interval '1 millisecond',
                    attempts = attempts + 1, updated_at = now()
                WHERE id = ANY (?) AND status = 'pending'
                RETURNING id, attempts""")) {
            take.setString(1, owner);
            take.setLong(2, lease.toMillis());
            take.setArray(3, uuids(connection, ids));
            try (ResultSet rows = take.executeQuery()) {
                while (rows.next()) {
                    PendingRow row = pendingById.get(rows.getObject(1, UUID.class));
                    taken.add(new Claimed(row.candidate().deliveryId(), row.thread().recipientId(), row.thread().channel(),
                            row.thread().incidentId(), row.candidate().eventType(), row.candidate().streamVersion(),
                            rows.getInt(2)));
                }
            }
        }
        return taken;
    }

    private static Map<Thread, List<PendingRow>> pendingOfThreads(Connection connection, Collection<Thread> threads)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(PENDING_OF_THREADS)) {
            bindThreads(connection, query, List.copyOf(threads));
            Map<Thread, List<PendingRow>> pending = new HashMap<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    Thread thread = new Thread(rows.getObject("incident_id", UUID.class),
                            rows.getObject("recipient_id", UUID.class), rows.getString("channel"));
                    Candidate candidate = new Candidate(rows.getObject("id", UUID.class), rows.getString("event_type"),
                            rows.getInt("stream_version"));
                    Timestamp retryAt = rows.getTimestamp("retry_at");
                    pending.computeIfAbsent(thread, t -> new ArrayList<>())
                            .add(new PendingRow(candidate, thread, retryAt == null ? null : retryAt.toInstant()));
                }
            }
            return pending;
        }
    }

    /**
     * The delivery that opens a thread (an email's root Message-ID) is the first one sent: a sender opens its thread
     * unless a delivery that opened it was already sent. A first delivery that failed, or was covered by a later one,
     * leaves the opening to the next. Decided at every claim and kept on the row, so that a send repeated after a crash
     * is the same.
     */
    private static Set<UUID> assignThreadOpeners(Connection connection, List<Claimed> senders) throws SQLException {
        List<Claimed> threaded = senders.stream().filter(s -> s.incidentId() != null).toList();
        if (threaded.isEmpty()) {
            return Set.of();
        }
        Set<Thread> opened = new HashSet<>();
        List<Thread> threads = threaded.stream().map(Claimed::thread).distinct().toList();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT t.incident_id, t.recipient_id, t.channel
                FROM unnest(?::uuid[], ?::uuid[], ?::text[]) AS t (incident_id, recipient_id, channel)
                WHERE EXISTS (SELECT 1 FROM delivery d WHERE d.incident_id = t.incident_id AND d.recipient_id = t.recipient_id
                              AND d.channel = t.channel AND d.status = 'sent' AND d.opens_thread)""")) {
            bindThreads(connection, query, threads);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    opened.add(new Thread(rows.getObject(1, UUID.class), rows.getObject(2, UUID.class), rows.getString(3)));
                }
            }
        }
        Set<UUID> openers = new HashSet<>();
        List<UUID> ids = new ArrayList<>();
        List<Boolean> opens = new ArrayList<>();
        for (Claimed sender : threaded) {
            boolean opener = opened.add(sender.thread());
            if (opener) {
                openers.add(sender.id());
            }
            ids.add(sender.id());
            opens.add(opener);
        }
        try (PreparedStatement assign = connection.prepareStatement("""
                UPDATE delivery d SET opens_thread = t.opens
                FROM unnest(?::uuid[], ?::boolean[]) AS t (id, opens)
                WHERE d.id = t.id AND d.opens_thread IS DISTINCT FROM t.opens""")) {
            assign.setArray(1, uuids(connection, ids));
            assign.setArray(2, connection.createArrayOf("boolean", opens.toArray()));
            assign.executeUpdate();
        }
        return openers;
    }

    /** The notices each sender carries: those it covers, then its own (the latest). */
    private static List<Delivery> load(Connection connection, List<Claimed> senders, Set<UUID> openers) throws SQLException {
        Map<UUID, List<Notice>> notices = new HashMap<>();
        Map<UUID, Instant> occurredAt = new HashMap<>();
        List<UUID> ids = senders.stream().map(Claimed::id).toList();
        try (PreparedStatement query = connection.prepareStatement("""
                SELECT coalesce(d.covered_by, d.id) AS sender, d.id AS delivery_id, n.event_id, n.event_type, n.occurred_at,
                       n.content::text AS content, n.traceparent
                FROM delivery d
                JOIN notice n ON n.event_id = d.event_id
                WHERE d.id = ANY (?) OR (d.covered_by = ANY (?) AND d.status = 'coalesced')
                ORDER BY n.stream_version NULLS FIRST, n.occurred_at""")) {
            Array array = uuids(connection, ids);
            query.setArray(1, array);
            query.setArray(2, array);
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    UUID sender = rows.getObject("sender", UUID.class);
                    Instant at = rows.getTimestamp("occurred_at").toInstant();
                    notices.computeIfAbsent(sender, s -> new ArrayList<>())
                            .add(new Notice(rows.getObject("event_id", UUID.class), rows.getString("event_type"), at,
                                    rows.getString("content"), rows.getString("traceparent")));
                    if (sender.equals(rows.getObject("delivery_id", UUID.class))) {
                        occurredAt.put(sender, at);
                    }
                }
            }
        }
        List<Delivery> deliveries = new ArrayList<>();
        for (Claimed sender : senders) {
            deliveries.add(new Delivery(sender.id(), sender.channel(), sender.recipientId(), sender.incidentId(),
                    sender.attempts(), openers.contains(sender.id()), occurredAt.get(sender.id()), notices.get(sender.id())));
        }
        return deliveries;
    }

    /** What a batch of outcomes did: the deliveries recorded per kind (a row whose lease was lost is in none). */
    public record Recorded(Set<UUID> sent, Set<UUID> retried, Set<UUID> failed, Set<UUID> cancelled) {
    }

    /**
     * Records a batch of outcomes in one transaction, one statement per kind. Each applies only to rows still held
     * ({@code status = 'sending'} and {@code claimed_by} the delivery's owner); the rows a delivery covered share its end.
     */
    public Recorded record(OutcomeBatch batch) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                lockInIdOrder(connection, batch.ids());
                Set<UUID> sent = markSent(connection, batch.sent());
                Set<UUID> retried = new HashSet<>();
                Set<UUID> cancelled = new HashSet<>();
                markRetried(connection, batch.retried(), retried, cancelled);
                Set<UUID> failed = end(connection, batch.failed(), "failed");
                cancelled.addAll(end(connection, batch.cancelled(), "cancelled"));
                return new Recorded(sent, retried, failed, cancelled);
            }
        });
    }

    private static Set<UUID> markSent(Connection connection, List<OutcomeBatch.Sent> sent) throws SQLException {
        if (sent.isEmpty()) {
            return Set.of();
        }
        try (PreparedStatement update = connection.prepareStatement(MARK_SENT)) {
            update.setArray(1, uuids(connection, sent.stream().map(OutcomeBatch.Sent::id).toList()));
            update.setArray(2, texts(connection, sent.stream().map(OutcomeBatch.Sent::owner).toList()));
            return ids(update);
        }
    }

    private static void markRetried(Connection connection, List<OutcomeBatch.Retry> retries, Set<UUID> retried,
            Set<UUID> cancelled) throws SQLException {
        if (retries.isEmpty()) {
            return;
        }
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE delivery d SET status = """ + REQUEUED_STATUS + """
                    , claimed_by = NULL, lease_until = NULL, last_error = o.error,
                    next_attempt_at = now() + o.delay_millis * interval '1 millisecond', updated_at = now()
                FROM unnest(?::uuid[], ?::text[], ?::text[], ?::bigint[]) AS o (id, owner, error, delay_millis)
                WHERE d.id = o.id AND d.status = 'sending' AND d.claimed_by = o.owner
                RETURNING d.id, d.status""")) {
            update.setArray(1, uuids(connection, retries.stream().map(OutcomeBatch.Retry::id).toList()));
            update.setArray(2, texts(connection, retries.stream().map(OutcomeBatch.Retry::owner).toList()));
            update.setArray(3, texts(connection, retries.stream().map(OutcomeBatch.Retry::error).toList()));
            update.setArray(4, connection.createArrayOf("bigint", retries.stream().map(r -> r.delay().toMillis()).toArray()));
            try (ResultSet rows = update.executeQuery()) {
                while (rows.next()) {
                    ("cancelled".equals(rows.getString(2)) ? cancelled : retried).add(rows.getObject(1, UUID.class));
                }
            }
        }
        List<UUID> gone = retries.stream().map(OutcomeBatch.Retry::id).filter(cancelled::contains).toList();
        cancelCovered(connection, gone, RECIPIENT_LEFT);
    }

    /** Ends held rows (and the rows they cover) as {@code status}, with each one's reason. */
    private static Set<UUID> end(Connection connection, List<OutcomeBatch.Ended> ended, String status) throws SQLException {
        if (ended.isEmpty()) {
            return Set.of();
        }
        Set<UUID> done;
        try (PreparedStatement update = connection.prepareStatement("""
                UPDATE delivery d SET status = ?, claimed_by = NULL, lease_until = NULL, last_error = o.error, updated_at = now()
                FROM unnest(?::uuid[], ?::text[], ?::text[]) AS o (id, owner, error)
                WHERE d.id = o.id AND d.status = 'sending' AND d.claimed_by = o.owner
                RETURNING d.id""")) {
            update.setString(1, status);
            update.setArray(2, uuids(connection, ended.stream().map(OutcomeBatch.Ended::id).toList()));
            update.setArray(3, texts(connection, ended.stream().map(OutcomeBatch.Ended::owner).toList()));
            update.setArray(4, texts(connection, ended.stream().map(OutcomeBatch.Ended::error).toList()));
            done = ids(update);
        }
        List<OutcomeBatch.Ended> held = ended.stream().filter(e -> done.contains(e.id())).toList();
        if (!held.isEmpty()) {
            try (PreparedStatement covered = connection.prepareStatement("""
                    UPDATE delivery d SET status = ?, last_error = o.error, updated_at = now()
                    FROM unnest(?::uuid[], ?::text[]) AS o (id, error)
                    WHERE d.covered_by = o.id AND d.status = 'coalesced'""")) {
                covered.setString(1, status);
                covered.setArray(2, uuids(connection, held.stream().map(OutcomeBatch.Ended::id).toList()));
                covered.setArray(3, texts(connection, held.stream().map(OutcomeBatch.Ended::error).toList()));
                covered.executeUpdate();
            }
        }
        return done;
    }

    /** The coalesced rows a cancelled delivery carried are cancelled with it; returns how many. */
    private static int cancelCovered(Connection connection, List<UUID> cancelled, String reason) throws SQLException {
        if (cancelled.isEmpty()) {
            return 0;
        }
        try (PreparedStatement cancel = connection.prepareStatement("""
                UPDATE delivery SET status = 'cancelled', last_error = ?, updated_at = now()
                WHERE covered_by = ANY (?) AND status = 'coalesced'""")) {
            cancel.setString(1, reason);
            cancel.setArray(2, uuids(connection, cancelled));
            return cancel.executeUpdate();
        }
    }

    /** Hands back deliveries this sender claimed but did not give to a channel (shutdown, a lease it can no longer trust). */
    public void release(Collection<UUID> ids, String owner) {
        if (ids.isEmpty()) {
            return;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement release = connection.prepareStatement("""
                            UPDATE delivery d SET status = """ + REQUEUED_STATUS + """
                                , claimed_by = NULL, lease_until = NULL, attempts = d.attempts - 1, updated_at = now()
                            WHERE d.id = ANY (?) AND d.status = 'sending' AND d.claimed_by = ?""")) {
                withoutWaitingForTheDisk(connection);
                lockInIdOrder(connection, ids);
                release.setArray(1, uuids(connection, ids));
                release.setString(2, owner);
                release.executeUpdate();
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** Claimed rows that go back untouched (a contested thread, a thread that has to wait for its earlier notice). */
    private static void handBack(Connection connection, List<UUID> ids) throws SQLException {
        if (ids.isEmpty()) {
            return;
        }
        try (PreparedStatement release = connection.prepareStatement("""
                UPDATE delivery SET status = 'pending', claimed_by = NULL, lease_until = NULL, attempts = attempts - 1
                WHERE id = ANY (?)""")) {
            release.setArray(1, uuids(connection, ids));
            release.executeUpdate();
        }
    }

    /**
     * The heartbeat: extends the lease of each row an instance holds, if its sender (owner) still holds it.
     *
     * @param held the rows, each with the sender ({@code instance#thread}) that claimed it
     * @return the ids still held (a row whose lease ran out may have been swept and taken by another sender)
     */
    public Set<UUID> renewLeases(Map<UUID, String> held, Duration lease) {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement renew = connection.prepareStatement(RENEW_LEASES)) {
                withoutWaitingForTheDisk(connection);
                List<UUID> ids = List.copyOf(held.keySet());
                renew.setArray(1, uuids(connection, ids));
                renew.setArray(2, texts(connection, ids.stream().map(held::get).toList()));
                renew.setLong(3, lease.toMillis());
                return ids(renew);
            }
        });
    }

    /**
     * Rows whose instance stopped renewing them (it died mid-send) are pending again, or cancelled when their recipient
     * left meanwhile; only the sends that instance had in flight or had not recorded yet may repeat.
     */
    public int releaseExpiredLeases() {
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                withoutWaitingForTheDisk(connection);
                List<UUID> cancelled = new ArrayList<>();
                Map<String, Integer> cancelledPerChannel = new HashMap<>();
                int released = 0;
                try (PreparedStatement sweep = connection.prepareStatement(RELEASE_EXPIRED_LEASES);
                        ResultSet rows = sweep.executeQuery()) {
                    while (rows.next()) {
                        released++;
                        if ("cancelled".equals(rows.getString(2))) {
                            cancelled.add(rows.getObject(1, UUID.class));
                            cancelledPerChannel.merge(rows.getString(3), 1, Integer::sum);
                        }
                    }
                }
                cancelCovered(connection, cancelled, RECIPIENT_LEFT);
                cancelledPerChannel.forEach(metrics::cancelled);
                return released;
            }
        });
    }

    /** Deliveries waiting to be sent (due now or after a backoff), per channel. */
    public Map<String, Long> countPendingPerChannel() {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement(
                        "SELECT channel, count(*) FROM delivery WHERE status = 'pending' GROUP BY channel");
                ResultSet rows = query.executeQuery()) {
            Map<String, Long> counts = new HashMap<>();
            while (rows.next()) {
                counts.put(rows.getString(1), rows.getLong(2));
            }
            return counts;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Claims, heartbeats, sweeps and hand-backs commit without waiting for their WAL to reach the disk. What depends on
     * one being durable is an outcome, and outcomes commit synchronously, which flushes the WAL written before them. A
     * PostgreSQL crash can lose only a claim or lease change no outcome followed yet: its rows are pending again (or
     * their lease runs out once more), which repeats at most the sends in flight and unrecorded, the bound a crash of
     * this service has anyway.
     */
    private static void lockInIdOrder(Connection connection, Collection<UUID> ids) throws SQLException {
        try (PreparedStatement lock = connection.prepareStatement(LOCK_IN_ID_ORDER)) {
            lock.setArray(1, uuids(connection, List.copyOf(ids)));
            lock.executeQuery().close();
        }
    }

    private static void withoutWaitingForTheDisk(Connection connection) throws SQLException {
        try (PreparedStatement set = connection.prepareStatement("SET LOCAL synchronous_commit TO OFF")) {
            set.execute();
        }
    }

    private static void bindThreads(Connection connection, PreparedStatement statement, List<Thread> threads)
            throws SQLException {
        statement.setArray(1, uuids(connection, threads.stream().map(Thread::incidentId).toList()));
        statement.setArray(2, uuids(connection, threads.stream().map(Thread::recipientId).toList()));
        statement.setArray(3, texts(connection, threads.stream().map(Thread::channel).toList()));
    }

    private static Set<UUID> ids(PreparedStatement statement) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    static Array uuids(Connection connection, Collection<UUID> ids) throws SQLException {
        return connection.createArrayOf("uuid", ids.toArray());
    }

    private static Array texts(Connection connection, List<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}

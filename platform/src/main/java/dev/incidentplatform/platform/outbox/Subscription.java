package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.function.Supplier;

import javax.sql.DataSource;

import org.jboss.logging.Logger;

/**
 * A checkpointed subscription over an append-only table, read in commit order: the loop both kinds of subscriber
 * share.
 *
 * <ul>
 * <li>One leader per subscription across instances ({@link Leadership}); the others stand by and retry.</li>
 * <li>Wakes on the table's notification, with a fallback poll that backs off to {@code idleWait}.</li>
 * <li>A destination failure (Kafka) resets the subscriber (a new producer, reconciled) and retries with capped
 * exponential back-off, still leading; a database failure ends leadership, and it is sought again after back-off.</li>
 * </ul>
 */
public final class Subscription {

    private static final Logger LOG = Logger.getLogger(Subscription.class);
    static final Duration FIRST_BACKOFF = Duration.ofMillis(100);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(2);
    /** After a notification, or a batch, look again this soon (a transaction older than the notifying one may end). */
    private static final Duration SOON = Duration.ofMillis(5);

    private final SubscriptionSettings settings;
    private final AppendOnlyTable table;
    private final DataSource dataSource;
    private final Supplier<Subscriber> subscribers;
    private final SubscriptionMetrics metrics;
    private final Leadership leadership;

    private volatile boolean running;
    private volatile boolean leader;
    private Thread worker;

    Subscription(SubscriptionSettings settings, AppendOnlyTable table, DataSource dataSource, Supplier<Subscriber> subscribers,
            SubscriptionMetrics metrics) {
        this.settings = settings;
        this.table = table;
        this.dataSource = dataSource;
        this.subscribers = subscribers;
        this.metrics = metrics;
        this.leadership = new Leadership(settings.name());
    }

    public String name() {
        return settings.name();
    }

    public SubscriptionSettings settings() {
        return settings;
    }

    /** True while this instance holds the subscription's lock and delivers. */
    public boolean leader() {
        return leader;
    }

    /** True while it runs in this instance: leading, or standing by for the lock. */
    public boolean running() {
        return running;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        worker = new Thread(this::run, "outbox-" + settings.name());
        worker.setDaemon(true);
        worker.start();
    }

    /** Stops and waits for the current batch to end (what a crash would do to it, minus the crash). */
    public synchronized void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (running) {
            try (Connection session = dataSource.getConnection()) {
                session.setAutoCommit(true);
                if (!leadership.tryAcquire(session)) {
                    pause(MAX_BACKOFF);
                    continue;
                }
                leader = true;
                metrics.leader(true);
                try {
                    Checkpoints.create(session, settings.checkpoint());
                    lead(session, Wakeups.listen(session, table.notifyChannel()));
                    backoff = FIRST_BACKOFF;
                } finally {
                    leader = false;
                    metrics.leader(false);
                    leadership.release(session);
                }
            } catch (SQLException | RuntimeException e) {
                if (running) {
                    metrics.failed();
                    LOG.warnf("Subscription %s lost the database (%s); seeking leadership again in %d ms", settings.name(), e,
                            backoff.toMillis());
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                }
            }
        }
    }

    /** Delivers until stopped; returns normally only when stopped. */
    private void lead(Connection session, Wakeups wakeups) throws SQLException {
        Duration backoff = FIRST_BACKOFF;
        Duration wait = SOON;
        boolean failing = false;
        try (Subscriber subscriber = subscribers.get()) {
            while (running) {
                int delivered;
                try {
                    delivered = subscriber.deliver(session);
                } catch (RuntimeException e) {
                    if (!running) {
                        return;
                    }
                    metrics.failed();
                    if (!failing) {
                        LOG.warnf("Subscription %s failed to deliver (%s); retrying until it succeeds", settings.name(), e.toString());
                        failing = true;
                    } else {
                        LOG.debugf("Subscription %s failed to deliver again (%s)", settings.name(), e.toString());
                    }
                    subscriber.reset();
                    pause(backoff);
                    backoff = min(backoff.multipliedBy(2), MAX_BACKOFF);
                    continue;
                }
                if (failing) {
                    LOG.infof("Subscription %s delivers again", settings.name());
                    failing = false;
                }
                backoff = FIRST_BACKOFF;
                if (delivered > 0) {
                    wait = SOON;
                    continue;
                }
                // Notified but nothing visible yet: an older transaction is still running; look again soon.
                try {
                    boolean notified = wakeups.await(wait);
                    wait = notified ? SOON : min(wait.multipliedBy(2), settings.idleWait());
                } catch (InterruptedException e) {
                    // stop() interrupts; the loop looks at running.
                }
            }
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            // stop() interrupts; the loop looks at running.
            Thread.interrupted();
        }
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }
}

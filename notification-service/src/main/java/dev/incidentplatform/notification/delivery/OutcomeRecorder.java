package dev.incidentplatform.notification.delivery;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jboss.logging.Logger;

import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.metrics.NotificationMetrics;

/**
 * The outcomes every sender of this instance reports, written by one thread in batches: when {@code batchSize} wait or
 * the oldest has waited {@code flushInterval}, one transaction with one UPDATE per kind. While a batch is written the
 * next one fills; a sender that finds it full waits. So at most {@code 2 × batchSize} outcomes are unrecorded at any
 * time, which bounds what a crash repeats (besides the sends in flight). A row stays {@code sending}, and its lease
 * renewed, until its outcome is written: no other sender takes it meanwhile, and its thread's next notice waits.
 */
final class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);

    enum Kind { SENT, RETRY, FAILED, CANCELLED }

    /** One reported outcome, waiting to be written. */
    record Reported(Delivery delivery, String owner, Kind kind, String reason, Duration delay) {
    }

    private final DeliveryStore store;
    private final NotificationMetrics metrics;
    private final Leases leases;
    private final int batchSize;
    private final long flushIntervalNanos;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private List<Reported> filling = new ArrayList<>();
    private long oldestNanos;
    private boolean running = true;
    private Thread writer;

    OutcomeRecorder(DeliveryStore store, NotificationMetrics metrics, Leases leases, int batchSize, Duration flushInterval) {
        this.store = store;
        this.metrics = metrics;
        this.leases = leases;
        this.batchSize = batchSize;
        this.flushIntervalNanos = flushInterval.toNanos();
    }

    void start() {
        writer = new Thread(this::run, "delivery-outcomes");
        writer.start();
    }

    /** Waits while the filling batch is full (the one before it is being written). */
    void add(Reported outcome) {
        lock.lock();
        try {
            while (filling.size() >= batchSize && running) {
                changed.awaitUninterruptibly();
            }
            boolean first = filling.isEmpty();
            if (first) {
                oldestNanos = System.nanoTime();
            }
            filling.add(outcome);
            // The writer waits without a deadline while nothing waits: the first outcome starts its flush interval.
            if (first || filling.size() >= batchSize) {
                changed.signalAll();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes what is waiting and stops; outcomes added later are written by nobody (their rows' leases run out). */
    void stop(Duration patience) {
        lock.lock();
        try {
            running = false;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        try {
            writer.join(patience.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void run() {
        while (true) {
            List<Reported> batch;
            lock.lock();
            try {
                while (running && !due()) {
                    if (filling.isEmpty()) {
                        changed.awaitUninterruptibly();
                    } else {
                        try {
                            changed.awaitNanos(flushIntervalNanos - (System.nanoTime() - oldestNanos));
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                            running = false;
                        }
                    }
                }
                if (filling.isEmpty() && !running) {
                    return;
                }
                batch = filling;
                filling = new ArrayList<>();
                changed.signalAll();
            } finally {
                lock.unlock();
            }
            write(batch);
        }
    }

    private boolean due() {
        return filling.size() >= batchSize || (!filling.isEmpty() && System.nanoTime() - oldestNanos >= flushIntervalNanos);
    }

    /** Retried until it is written (the database may be away for a while); senders wait once the next batch is full. */
    private void write(List<Reported> batch) {
        OutcomeBatch outcomes = toBatch(batch);
        leases.recording(batch.stream().map(r -> r.delivery().id()).toList());
        long pause = TimeUnit.MILLISECONDS.toNanos(100);
        while (true) {
            try {
                DeliveryStore.Recorded recorded = store.record(outcomes);
                account(batch, recorded);
                return;
            } catch (RuntimeException e) {
                if (!stillRunning()) {
                    LOG.warnf(e, "%d delivery outcomes could not be recorded before shutdown; their rows will be sent again",
                            batch.size());
                    return;
                }
                LOG.warnf(e, "Could not record %d delivery outcomes; trying again", batch.size());
                sleep(pause);
                pause = Math.min(pause * 2, TimeUnit.SECONDS.toNanos(2));
            }
        }
    }

    private static OutcomeBatch toBatch(List<Reported> batch) {
        List<OutcomeBatch.Sent> sent = new ArrayList<>();
        List<OutcomeBatch.Retry> retried = new ArrayList<>();
        List<OutcomeBatch.Ended> failed = new ArrayList<>();
        List<OutcomeBatch.Ended> cancelled = new ArrayList<>();
        for (Reported r : batch) {
            UUID id = r.delivery().id();
            switch (r.kind()) {
                case SENT -> sent.add(new OutcomeBatch.Sent(id, r.owner()));
                case RETRY -> retried.add(new OutcomeBatch.Retry(id, r.owner(), r.reason(), r.delay()));
                case FAILED -> failed.add(new OutcomeBatch.Ended(id, r.owner(), r.reason()));
                case CANCELLED -> cancelled.add(new OutcomeBatch.Ended(id, r.owner(), r.reason()));
            }
        }
        return new OutcomeBatch(sent, retried, failed, cancelled);
    }

    private void account(List<Reported> batch, DeliveryStore.Recorded recorded) {
        Instant now = Instant.now();
        List<UUID> done = new ArrayList<>(batch.size());
        for (Reported r : batch) {
            Delivery delivery = r.delivery();
            done.add(delivery.id());
            switch (r.kind()) {
                case SENT -> {
                    if (recorded.sent().contains(delivery.id())) {
                        metrics.sent(delivery.channel(), delivery.notices().size() - 1, Duration.between(delivery.occurredAt(), now));
                    } else {
                        LOG.warnf("Delivery %s was sent after its sender lost its lease; another sender may send it too",
                                delivery.id());
                    }
                }
                case RETRY -> {
                    if (recorded.retried().contains(delivery.id())) {
                        metrics.retried(delivery.channel());
                        LOG.debugf("Delivery %s attempt %d failed (%s); retry in %s", delivery.id(), delivery.attempts(),
                                r.reason(), r.delay());
                    } else if (recorded.cancelled().contains(delivery.id())) {
                        metrics.cancelled(delivery.channel(), 1);
                    }
                }
                case FAILED -> {
                    if (recorded.failed().contains(delivery.id())) {
                        metrics.failed(delivery.channel());
                        LOG.infof("Delivery %s (%s) failed after %d attempt(s): %s", delivery.id(), delivery.channel(),
                                delivery.attempts(), r.reason());
                    }
                }
                case CANCELLED -> {
                    if (recorded.cancelled().contains(delivery.id())) {
                        metrics.cancelled(delivery.channel(), 1);
                    }
                }
            }
        }
        leases.forget(done);
    }

    private boolean stillRunning() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    private static void sleep(long nanos) {
        try {
            TimeUnit.NANOSECONDS.sleep(nanos);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

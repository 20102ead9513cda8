package dev.incidentplatform.notification.delivery;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.notification.domain.RetryPolicy;
import dev.incidentplatform.notification.mail.MailTransport;
import dev.incidentplatform.notification.mail.NoticeMails;
import dev.incidentplatform.notification.mail.OutgoingMail;
import dev.incidentplatform.notification.mail.SendFailedException;
import dev.incidentplatform.notification.metrics.NotificationMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * A fixed pool of sender threads (notification.senders.pool-size). Each claims a batch of due deliveries, sends them
 * one by one and records each outcome at once, so at most one send per thread is ever unrecorded. A fan-out wakes
 * them at once; otherwise they look for due work (retries, other instances' fan-outs) every poll interval.
 */
@ApplicationScoped
public class DeliverySenders {

    private static final Logger LOG = Logger.getLogger(DeliverySenders.class);

    private final DeliveryStore store;
    private final NoticeMails mails;
    private final MailTransport transport;
    private final MeterRegistry registry;
    private final NotificationMetrics metrics;
    private final NotificationConfig.Senders settings;
    private final RetryPolicy retryPolicy;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Object signal = new Object();
    private final AtomicLong wakeups = new AtomicLong();
    private final AtomicLong lastLeaseSweep = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running;

    public DeliverySenders(DeliveryStore store, NoticeMails mails, MailTransport transport, MeterRegistry registry,
            NotificationMetrics metrics, NotificationConfig config) {
        this.store = store;
        this.mails = mails;
        this.transport = transport;
        this.registry = registry;
        this.metrics = metrics;
        this.settings = config.senders();
        Duration sendTimeout = config.mail().sendTimeout();
        if (sendTimeout.multipliedBy(2).compareTo(settings.lease()) > 0) {
            // The lease is renewed between sends only: one send longer than the rest of the lease would let another
            // sender take the batch's remaining rows while this one still holds them.
            throw new IllegalStateException("notification.mail.send-timeout (" + sendTimeout
                    + ") must be at most half of notification.senders.lease (" + settings.lease() + ")");
        }
        this.retryPolicy = new RetryPolicy(config.retry().maxAttempts(), config.retry().base(), config.retry().cap());
    }

    void start(@Observes StartupEvent startup) {
        Gauge.builder("notification.deliveries.pending", store, DeliveryStore::countPending)
                .description("Deliveries waiting to be sent (due now or after a backoff)").register(registry);
        running = true;
        for (int i = 0; i < settings.poolSize(); i++) {
            // The owner names the instance and thread, so the delivery log (claimed_by) says who sent what.
            String owner = instance + "#" + i;
            Thread thread = new Thread(() -> run(owner), "delivery-sender-" + i);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("%d delivery senders started as %s", threads.size(), instance);
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        wake();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** New deliveries exist: idle senders look now instead of at their next poll. */
    public void wake() {
        synchronized (signal) {
            wakeups.incrementAndGet();
            signal.notifyAll();
        }
    }

    private void run(String owner) {
        long seen = wakeups.get();
        while (running) {
            try {
                sweepExpiredLeases();
                List<ClaimedDelivery> batch = store.claim(owner, settings.batchSize(), settings.lease());
                if (batch.isEmpty()) {
                    seen = awaitWork(seen, settings.pollInterval());
                    continue;
                }
                sendBatch(owner, batch);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Sender %s failed to claim or record deliveries; trying again shortly", owner);
                seen = awaitWork(seen, settings.pollInterval().multipliedBy(4));
            }
        }
    }

    private void sendBatch(String owner, List<ClaimedDelivery> batch) {
        long leaseStart = System.nanoTime();
        long renewAfter = settings.lease().toNanos() / 3;
        Set<UUID> held = null;
        for (int i = 0; i < batch.size(); i++) {
            if (!running) {
                store.release(batch.subList(i, batch.size()).stream().map(ClaimedDelivery::id).toList(), owner);
                return;
            }
            // Slow sends (a loaded machine, a slow server) must not let the rest of the batch's lease run out: another
            // sender would take those rows and both would send them.
            if (System.nanoTime() - leaseStart > renewAfter) {
                held = store.renewLeases(batch.subList(i, batch.size()).stream().map(ClaimedDelivery::id).toList(), owner,
                        settings.lease());
                leaseStart = System.nanoTime();
            }
            ClaimedDelivery delivery = batch.get(i);
            if (held == null || held.contains(delivery.id())) {
                send(owner, delivery);
            }
        }
    }

    private void send(String owner, ClaimedDelivery delivery) {
        OutgoingMail mail;
        try {
            mail = mails.render(delivery);
        } catch (RuntimeException e) {
            LOG.errorf(e, "Could not render delivery %s", delivery.id());
            store.markFailed(delivery.id(), owner, "could not render the notice: " + e.getMessage());
            metrics.failed();
            return;
        }
        try {
            transport.send(mail);
        } catch (SendFailedException e) {
            RetryPolicy.Decision decision = retryPolicy.afterFailure(delivery.attempts(), e.replyCode(), ThreadLocalRandom.current());
            if (decision.retry()) {
                store.markRetry(delivery.id(), owner, e.getMessage(), decision.delay());
                metrics.retried();
                LOG.debugf("Delivery %s attempt %d failed (%s); retry in %s", delivery.id(), delivery.attempts(), e.getMessage(),
                        decision.delay());
            } else {
                store.markFailed(delivery.id(), owner, e.getMessage());
                metrics.failed();
                LOG.infof("Delivery %s failed after %d attempt(s): %s", delivery.id(), delivery.attempts(), e.getMessage());
            }
            return;
        }
        if (store.markSent(delivery.id(), owner)) {
            metrics.sent(delivery.notices().size() - 1, Duration.between(delivery.occurredAt(), Instant.now()));
        } else {
            LOG.warnf("Delivery %s was sent after its lease expired; another sender may have sent it too", delivery.id());
        }
    }

    private void sweepExpiredLeases() {
        long now = System.nanoTime();
        long last = lastLeaseSweep.get();
        long every = Math.max(settings.lease().toNanos() / 4, TimeUnit.SECONDS.toNanos(1));
        if ((last == 0 || now - last >= every) && lastLeaseSweep.compareAndSet(last, now)) {
            int released = store.releaseExpiredLeases();
            if (released > 0) {
                LOG.infof("%d deliveries whose sender stopped mid-send are pending again", released);
            }
        }
    }

    private long awaitWork(long seen, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (signal) {
            while (running && wakeups.get() == seen) {
                long remaining = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (remaining <= 0) {
                    break;
                }
                try {
                    signal.wait(remaining);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running = false;
                }
            }
            return wakeups.get();
        }
    }
}

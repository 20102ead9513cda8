package dev.incidentplatform.notification.delivery;

import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.incidentplatform.notification.channel.Channel;
import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Failure;
import dev.incidentplatform.notification.channel.Outcomes;
import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.notification.domain.RetryPolicy;
import dev.incidentplatform.notification.metrics.NotificationMetrics;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.All;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * The delivery pipeline of one instance, the same for every channel: a fixed pool of sender threads
 * (notification.senders.pool-size), each claiming a batch of due deliveries of any channel this instance has (a
 * {@link Channel} bean each), grouping it by channel and handing each group to its channel; the outcomes the channels
 * report go to one {@link OutcomeRecorder}, which writes them in batches. One heartbeat thread renews the leases of
 * every row the instance holds and sweeps the expired leases of dead instances. A fan-out wakes the senders at once;
 * otherwise they look for due work (retries, other instances' fan-outs) every poll interval.
 */
@ApplicationScoped
public class DeliverySenders {

    private static final Logger LOG = Logger.getLogger(DeliverySenders.class);
    private static final Pattern CHANNEL_NAME = Pattern.compile(Channel.NAME_PATTERN);

    private final DeliveryStore store;
    private final MeterRegistry registry;
    private final NotificationMetrics metrics;
    private final NotificationConfig.Senders settings;
    private final RetryPolicy retryPolicy;
    private final Map<String, Channel> channels = new LinkedHashMap<>();
    private final Leases leases;
    private final OutcomeRecorder recorder;
    private final String instance = ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    private final Object signal = new Object();
    private final AtomicLong wakeups = new AtomicLong();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<PendingCounts> pending = new AtomicReference<>(new PendingCounts(Map.of(), 0));
    private Thread heartbeat;
    private volatile boolean running;

    /** The pending counts the gauges show, read at most once per second. */
    private record PendingCounts(Map<String, Long> perChannel, long readAtNanos) {
    }

    public DeliverySenders(DeliveryStore store, @All List<Channel> channelBeans, MeterRegistry registry,
            NotificationMetrics metrics, NotificationConfig config) {
        this.store = store;
        this.registry = registry;
        this.metrics = metrics;
        this.settings = config.senders();
        for (Channel channel : channelBeans) {
            if (!CHANNEL_NAME.matcher(channel.name()).matches()) {
                throw new IllegalStateException("Channel " + channel.getClass().getName() + " is named '" + channel.name()
                        + "', not " + Channel.NAME_PATTERN);
            }
            if (channels.putIfAbsent(channel.name(), channel) != null) {
                throw new IllegalStateException("Two channels are named '" + channel.name() + "'");
            }
        }
        if (settings.poolSize() < 1 || settings.batchSize() < 1 || settings.outcomeBatchSize() < 1) {
            throw new IllegalStateException("notification.senders.pool-size, batch-size and outcome-batch-size must be at least 1");
        }
        if (settings.heartbeat().multipliedBy(3).compareTo(settings.lease()) > 0) {
            // Renewed every heartbeat, a lease must survive two late ones: a busy JVM or database is not a dead instance.
            throw new IllegalStateException("notification.senders.heartbeat (" + settings.heartbeat()
                    + ") must be at most a third of notification.senders.lease (" + settings.lease() + ")");
        }
        this.retryPolicy = new RetryPolicy(config.retry().maxAttempts(), config.retry().base(), config.retry().cap(),
                config.retry().maxRetryAfter());
        this.leases = new Leases(settings.lease().toNanos());
        this.recorder = new OutcomeRecorder(store, metrics, leases, settings.outcomeBatchSize(), settings.outcomeFlushInterval());
    }

    void start(@Observes StartupEvent startup) {
        for (String channel : channels.keySet()) {
            Gauge.builder("notification.deliveries.pending", this, senders -> senders.pendingOf(channel)).tag("channel", channel)
                    .description("Deliveries waiting to be sent (due now or after a backoff)").register(registry);
        }
        running = true;
        recorder.start();
        heartbeat = new Thread(this::beat, "delivery-heartbeat");
        heartbeat.start();
        for (int i = 0; i < settings.poolSize(); i++) {
            // The owner names the instance and thread, so the delivery log (claimed_by) says who sent what.
            String owner = instance + "#" + i;
            Thread thread = new Thread(() -> run(owner), "delivery-sender-" + i);
            threads.add(thread);
            thread.start();
        }
        LOG.infof("%d delivery senders started as %s for channels %s", threads.size(), instance, channels.keySet());
    }

    void stop(@Observes ShutdownEvent shutdown) {
        running = false;
        wake();
        for (Thread thread : threads) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(30));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        // The heartbeat keeps the rows while their outcomes are written; whatever is still held after that (a send
        // that did not end in time) runs out within one lease.
        recorder.stop(Duration.ofSeconds(10));
        heartbeat.interrupt();
        try {
            heartbeat.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
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
                long claimStart = System.nanoTime();
                List<Delivery> batch = store.claim(owner, channels.keySet(), settings.batchSize(), settings.lease());
                if (batch.isEmpty()) {
                    seen = awaitWork(seen, settings.pollInterval());
                    continue;
                }
                leases.claimed(batch.stream().map(Delivery::id).toList(), owner, claimStart);
                sendBatch(owner, batch);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Sender %s failed to claim deliveries; trying again shortly", owner);
                seen = awaitWork(seen, settings.pollInterval().multipliedBy(4));
            }
        }
    }

    private void sendBatch(String owner, List<Delivery> batch) {
        Map<String, List<Delivery>> byChannel = new LinkedHashMap<>();
        batch.forEach(delivery -> byChannel.computeIfAbsent(delivery.channel(), c -> new ArrayList<>()).add(delivery));
        List<List<Delivery>> groups = new ArrayList<>(byChannel.values());
        for (int i = 0; i < groups.size(); i++) {
            List<Delivery> group = groups.get(i);
            if (!running || !awaitValidLeases(group)) {
                // Shutting down, or the heartbeat cannot reach the database: hand back what no channel has seen.
                List<UUID> unsent = groups.subList(i, groups.size()).stream().flatMap(List::stream).map(Delivery::id).toList();
                handBack(owner, unsent);
                return;
            }
            List<Delivery> held = group.stream().filter(d -> {
                Leases.Lease lease = leases.get(d.id());
                return lease != null && !lease.lost;
            }).toList();
            if (!held.isEmpty()) {
                send(owner, channels.get(held.get(0).channel()), held);
            }
        }
    }

    private void send(String owner, Channel channel, List<Delivery> group) {
        BatchOutcomes outcomes = new BatchOutcomes(owner, group);
        try {
            channel.send(group, outcomes);
            outcomes.close("the " + channel.name() + " channel returned without reporting this delivery's outcome");
        } catch (RuntimeException e) {
            LOG.warnf(e, "The %s channel failed on a batch of %d; its unreported deliveries are retried", channel.name(),
                    group.size());
            outcomes.close("the " + channel.name() + " channel failed: " + e);
        }
    }

    private void handBack(String owner, List<UUID> ids) {
        try {
            store.release(ids, owner);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Could not hand back %d deliveries; they are pending again once their leases run out", ids.size());
        }
        leases.forget(ids);
    }

    /**
     * True once the heartbeat has renewed the group's leases recently enough; waits up to one lease for it. False when
     * it cannot: then the database has been out of reach for most of a lease, and another instance may take the rows.
     */
    private boolean awaitValidLeases(List<Delivery> group) {
        List<UUID> ids = group.stream().map(Delivery::id).toList();
        long margin = settings.heartbeat().toNanos();
        long deadline = System.nanoTime() + settings.lease().toNanos();
        while (!leases.allValid(ids, margin)) {
            if (!running || System.nanoTime() > deadline) {
                return false;
            }
            sleep(Duration.ofMillis(50));
        }
        return true;
    }

    /** The heartbeat thread: renew this instance's leases, then sweep every instance's expired ones. */
    private void beat() {
        long interval = settings.heartbeat().toNanos();
        while (!Thread.currentThread().isInterrupted()) {
            long start = System.nanoTime();
            try {
                Map<UUID, Leases.Lease> held = leases.snapshot();
                if (!held.isEmpty()) {
                    Map<UUID, String> owners = new LinkedHashMap<>();
                    held.forEach((id, lease) -> owners.put(id, lease.owner));
                    Set<UUID> renewed = store.renewLeases(owners, settings.lease());
                    int lost = leases.renewed(held, renewed, start);
                    if (lost > 0) {
                        LOG.warnf("%d deliveries this instance held were taken over after their leases ran out", lost);
                    }
                }
                if (running) {
                    int released = store.releaseExpiredLeases();
                    if (released > 0) {
                        LOG.infof("%d deliveries whose sender stopped mid-send are pending again", released);
                        wake();
                    }
                }
            } catch (RuntimeException e) {
                LOG.warnf(e, "Delivery heartbeat failed; %d held deliveries keep their leases until they run out", leases.size());
            }
            long remaining = interval - (System.nanoTime() - start);
            if (remaining > 0) {
                try {
                    TimeUnit.NANOSECONDS.sleep(remaining);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private double pendingOf(String channel) {
        PendingCounts counts = pending.get();
        if (System.nanoTime() - counts.readAtNanos() > TimeUnit.SECONDS.toNanos(1) || counts.readAtNanos() == 0) {
            counts = new PendingCounts(store.countPendingPerChannel(), System.nanoTime());
            pending.set(counts);
        }
        return counts.perChannel().getOrDefault(channel, 0L);
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

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The {@link Outcomes} of one batch handed to a channel: each delivery's first report counts, and is decided
     * (sent; retried, failed or cancelled by the retry policy) and queued for the recorder; a second report of the same
     * delivery, or one after the channel returned, is ignored. What the channel left unreported when it returned or
     * threw is retried as a transient failure.
     */
    private final class BatchOutcomes implements Outcomes {

        private final String owner;
        private final Map<UUID, Delivery> expected = new LinkedHashMap<>();
        private final Set<UUID> reported = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        BatchOutcomes(String owner, List<Delivery> batch) {
            this.owner = owner;
            batch.forEach(d -> expected.put(d.id(), d));
        }

        @Override
        public void sent(Delivery delivery) {
            if (accept(delivery)) {
                recorder.add(new OutcomeRecorder.Reported(delivery, owner, OutcomeRecorder.Kind.SENT, null, Duration.ZERO));
            }
        }

        @Override
        public void failed(Delivery delivery, Failure failure) {
            if (accept(delivery)) {
                decide(delivery, failure);
            }
        }

        private void decide(Delivery delivery, Failure failure) {
            RetryPolicy.Decision decision = retryPolicy.afterFailure(delivery.attempts(), failure, ThreadLocalRandom.current());
            OutcomeRecorder.Kind kind = switch (decision.action()) {
                case RETRY -> OutcomeRecorder.Kind.RETRY;
                case GIVE_UP -> OutcomeRecorder.Kind.FAILED;
                case CANCEL -> OutcomeRecorder.Kind.CANCELLED;
            };
            recorder.add(new OutcomeRecorder.Reported(delivery, owner, kind, decision.reason(), decision.delay()));
        }

        private boolean accept(Delivery delivery) {
            if (!expected.containsKey(delivery.id())) {
                throw new IllegalArgumentException("Delivery " + delivery.id() + " is not in the batch this channel was given");
            }
            if (closed || !reported.add(delivery.id())) {
                LOG.warnf("Delivery %s: an outcome reported twice, or after its channel returned, is ignored", delivery.id());
                return false;
            }
            return true;
        }

        /** The channel returned (or threw): what it did not report is retried. */
        void close(String reason) {
            closed = true;
            for (Delivery delivery : expected.values()) {
                if (reported.add(delivery.id())) {
                    decide(delivery, Failure.transientFailure(reason));
                }
            }
        }
    }
}

package dev.incidentplatform.incident.metrics;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.eventstore.Checkpoints;
import dev.incidentplatform.incident.eventstore.EventStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.StartupEvent;

/**
 * The service's own meters at /q/metrics, each with its HELP text, and every counter registered at start-up (at 0,
 * with each tag value it can take), so that a dashboard or an alert on a rate sees a series before the first event:
 * <ul>
 * <li>{@code incident_events_appended_total{type}}, {@code incident_relay_published_total},
 * {@code incident_relay_publish_failures_total} (attempts to publish to Kafka that failed and are retried);</li>
 * <li>{@code incident_relay_leader} (1 while this instance holds the relay's lock);</li>
 * <li>the lag gauges {@code incident_relay_lag_events}, {@code incident_relay_lag_seconds} (age of the oldest event
 * not yet on Kafka), {@code incident_projection_lag_events}, {@code incident_projection_lag_seconds};</li>
 * <li>{@code incident_relay_latency_seconds} (recorded_at → Kafka's commit, p50/p99).</li>
 * </ul>
 * The lag is sampled from the database once a second, not on each scrape, so a scrape (or a health check, which reads
 * {@link #lag()}) never waits for the database.
 */
@ApplicationScoped
public class IncidentMetrics {

    private static final Logger LOG = Logger.getLogger(IncidentMetrics.class);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    /** The relay's and the projector's backlog as last sampled; {@code failure} when the database could not be read. */
    public record Lag(long relayEvents, Duration relayAge, long projectionEvents, Duration projectionAge, Instant sampledAt,
            String failure) {
    }

    private final MeterRegistry registry;
    private final DataSource dataSource;
    private final EventStore store;
    private final Checkpoints checkpoints;
    private final Counter published;
    private final Counter publishFailures;
    private final Timer relayLatency;
    private final AtomicLong leader = new AtomicLong();
    private final Map<String, Counter> appendedByType = new ConcurrentHashMap<>();
    private volatile Lag lag = new Lag(0, Duration.ZERO, 0, Duration.ZERO, null, "not sampled yet");
    private ScheduledExecutorService sampler;

    public IncidentMetrics(MeterRegistry registry, DataSource dataSource, EventStore store, Checkpoints checkpoints) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.store = store;
        this.checkpoints = checkpoints;
        this.published = Counter.builder("incident.relay.published").description("Events the relay published to Kafka")
                .register(registry);
        this.publishFailures = Counter.builder("incident.relay.publish.failures")
                .description("Attempts of the relay to publish to Kafka that failed (broker unreachable, transaction aborted); each is retried with back-off")
                .register(registry);
        // Percentiles over the last ~20 s, so that a quiet spell is not hidden behind an earlier burst.
        this.relayLatency = Timer.builder("incident.relay.latency")
                .description("From an event's recorded_at to Kafka acknowledging the transaction that published it")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofSeconds(20)).distributionStatisticBufferLength(2)
                .register(registry);
        for (String type : new String[] { IncidentEvent.IncidentOpened.TYPE, IncidentEvent.UpdatePosted.TYPE,
                IncidentEvent.ReviewPublished.TYPE }) {
            appendedCounter(type);
        }
        Gauge.builder("incident.relay.leader", leader, AtomicLong::get)
                .description("1 while this instance holds the relay's lock and publishes; 0 while it stands by").register(registry);
        Gauge.builder("incident.relay.lag.events", this, m -> m.lag.relayEvents())
                .description("Events appended but not yet published to Kafka").register(registry);
        Gauge.builder("incident.relay.lag.seconds", this, m -> seconds(m.lag.relayAge()))
                .description("Age of the oldest event not yet published to Kafka (0 when none waits)").register(registry);
        Gauge.builder("incident.projection.lag.events", this, m -> m.lag.projectionEvents())
                .description("Events appended but not yet in the read models").register(registry);
        Gauge.builder("incident.projection.lag.seconds", this, m -> seconds(m.lag.projectionAge()))
                .description("Age of the oldest event not yet in the read models (0 when none waits)").register(registry);
    }

    void start(@Observes StartupEvent startup) {
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "incident-lag-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, SAMPLE_EVERY.toMillis(), TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
    }

    public void appended(String type) {
        appendedCounter(type).increment();
    }

    public void published(List<Instant> recordedAt) {
        published.increment(recordedAt.size());
        Instant now = Instant.now();
        recordedAt.forEach(at -> relayLatency.record(Duration.between(at, now)));
    }

    public void publishFailed() {
        publishFailures.increment();
    }

    public void leader(boolean held) {
        leader.set(held ? 1 : 0);
    }

    /** The backlog as last sampled (at most about a second old while the database answers). */
    public Lag lag() {
        return lag;
    }

    private Counter appendedCounter(String type) {
        return appendedByType.computeIfAbsent(type, t -> Counter.builder("incident.events.appended")
                .description("Events appended to the event store").tag("type", t).register(registry));
    }

    private void sample() {
        Lag last = lag;
        try (Connection connection = dataSource.getConnection()) {
            Instant now = Instant.now();
            EventStore.Backlog relay = store.backlog(connection, checkpoints.read(connection, Checkpoints.RELAY));
            EventStore.Backlog projection = store.backlog(connection, checkpoints.read(connection, Checkpoints.PROJECTION));
            lag = new Lag(relay.events(), age(relay, now), projection.events(), age(projection, now), now, null);
        } catch (Exception e) {
            LOG.debugf(e, "Could not sample the relay and projection lag");
            lag = new Lag(last.relayEvents(), last.relayAge(), last.projectionEvents(), last.projectionAge(), last.sampledAt(),
                    "the event store could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static Duration age(EventStore.Backlog backlog, Instant now) {
        if (backlog.oldestRecordedAt() == null) {
            return Duration.ZERO;
        }
        Duration age = Duration.between(backlog.oldestRecordedAt(), now);
        return age.isNegative() ? Duration.ZERO : age;
    }

    private static double seconds(Duration duration) {
        return duration.toMillis() / 1000.0;
    }
}

package dev.incidentplatform.incident.metrics;

import java.sql.Connection;
import java.time.Duration;
import java.time.Instant;
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
import io.quarkus.runtime.StartupEvent;

/**
 * The service's own meters at /q/metrics: {@code incident_events_appended_total{type}},
 * {@code incident_relay_published_total}, and the lag gauges {@code incident_relay_lag_events},
 * {@code incident_relay_lag_seconds} (age of the oldest event not yet on Kafka),
 * {@code incident_projection_lag_events}, and {@code incident_relay_latency_seconds} (recorded_at → Kafka's commit, p50/p99). The gauges are sampled from the database once a second, not on each scrape,
 * so a scrape never waits for the database.
 */
@ApplicationScoped
public class IncidentMetrics {

    private static final Logger LOG = Logger.getLogger(IncidentMetrics.class);
    private static final Duration SAMPLE_EVERY = Duration.ofSeconds(1);

    private final MeterRegistry registry;
    private final DataSource dataSource;
    private final EventStore store;
    private final Checkpoints checkpoints;
    private final Counter published;
    private final io.micrometer.core.instrument.Timer relayLatency;
    private final AtomicLong relayLagEvents = new AtomicLong();
    private final AtomicLong relayLagMillis = new AtomicLong();
    private final AtomicLong projectionLagEvents = new AtomicLong();
    private final java.util.Map<String, Counter> appendedByType = new java.util.concurrent.ConcurrentHashMap<>();
    private ScheduledExecutorService sampler;

    public IncidentMetrics(MeterRegistry registry, DataSource dataSource, EventStore store, Checkpoints checkpoints) {
        this.registry = registry;
        this.dataSource = dataSource;
        this.store = store;
        this.checkpoints = checkpoints;
        this.published = Counter.builder("incident.relay.published").description("Events the relay published to Kafka")
                .register(registry);
        // Percentiles over the last ~20 s, so that a quiet spell is not hidden behind an earlier burst.
        this.relayLatency = io.micrometer.core.instrument.Timer.builder("incident.relay.latency")
                .description("From an event's recorded_at to Kafka acknowledging the transaction that published it")
                .publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofSeconds(20)).distributionStatisticBufferLength(2)
                .register(registry);
        for (String type : new String[] { IncidentEvent.IncidentOpened.TYPE, IncidentEvent.UpdatePosted.TYPE,
                IncidentEvent.ReviewPublished.TYPE }) {
            appendedCounter(type);
        }
        Gauge.builder("incident.relay.lag.events", relayLagEvents, AtomicLong::get)
                .description("Events appended but not yet published to Kafka").register(registry);
        Gauge.builder("incident.relay.lag.seconds", relayLagMillis, millis -> millis.get() / 1000.0)
                .description("Age of the oldest event not yet published to Kafka").register(registry);
        Gauge.builder("incident.projection.lag.events", projectionLagEvents, AtomicLong::get)
                .description("Events appended but not yet in the read models").register(registry);
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

    public void published(java.util.List<Instant> recordedAt) {
        published.increment(recordedAt.size());
        Instant now = Instant.now();
        recordedAt.forEach(at -> relayLatency.record(Duration.between(at, now)));
    }

    private Counter appendedCounter(String type) {
        return appendedByType.computeIfAbsent(type, t -> Counter.builder("incident.events.appended")
                .description("Events appended to the event store").tag("type", t).register(registry));
    }

    private void sample() {
        try (Connection connection = dataSource.getConnection()) {
            EventStore.Backlog relay = store.backlog(connection, checkpoints.read(connection, Checkpoints.RELAY));
            relayLagEvents.set(relay.events());
            relayLagMillis.set(relay.oldestRecordedAt() == null ? 0
                    : Math.max(0, Duration.between(relay.oldestRecordedAt(), Instant.now()).toMillis()));
            projectionLagEvents.set(store.backlog(connection, checkpoints.read(connection, Checkpoints.PROJECTION)).events());
        } catch (Exception e) {
            LOG.debugf(e, "Could not sample the relay and projection lag");
        }
    }
}

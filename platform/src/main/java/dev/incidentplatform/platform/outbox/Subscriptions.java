package dev.incidentplatform.platform.outbox;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import dev.incidentplatform.platform.kafka.KafkaClients;
import dev.incidentplatform.platform.tracing.Tracing;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.health.registry.HealthRegistries;

/**
 * Runs every subscription the service declares ({@link RelayedStream} and {@link ProjectedStream} beans): starts
 * them at start-up (those enabled), samples their lag once a second, and puts one health check per subscription into
 * the health group {@value #HEALTH_GROUP}.
 */
@ApplicationScoped
public class Subscriptions {

    public static final String HEALTH_GROUP = "relay";

    private record Running(Subscription subscription, SubscriptionMetrics metrics, AppendOnlyTable table) {
    }

    private final Instance<RelayedStream> relayed;
    private final Instance<ProjectedStream<?>> projected;
    private final Instance<DataSource> dataSource;
    private final Instance<KafkaClients> kafka;
    private final MeterRegistry registry;
    private final Tracing tracing;
    private final Map<String, Running> subscriptions = new LinkedHashMap<>();
    private ScheduledExecutorService sampler;

    public Subscriptions(Instance<RelayedStream> relayed, Instance<ProjectedStream<?>> projected, Instance<DataSource> dataSource,
            Instance<KafkaClients> kafka, MeterRegistry registry, Tracing tracing) {
        this.relayed = relayed;
        this.tracing = tracing;
        this.projected = projected;
        this.dataSource = dataSource;
        this.kafka = kafka;
        this.registry = registry;
    }

    synchronized void start(@Observes StartupEvent startup) {
        for (RelayedStream stream : relayed) {
            SubscriptionMetrics metrics = new SubscriptionMetrics(registry, stream.settings().name(), true);
            KafkaClients clients = kafka.get();
            add(new Subscription(stream.settings(), stream.table(), dataSource.get(), () -> new KafkaRelay(stream, clients, metrics, tracing),
                    metrics), metrics, stream.table());
        }
        for (ProjectedStream<?> stream : projected) {
            add(stream);
        }
        if (subscriptions.isEmpty()) {
            return;
        }
        sampler = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "outbox-lag-sampler");
            thread.setDaemon(true);
            return thread;
        });
        sampler.scheduleWithFixedDelay(this::sample, 0, 1, TimeUnit.SECONDS);
        for (Running running : subscriptions.values()) {
            if (running.subscription().settings().enabled()) {
                running.subscription().start();
            }
        }
    }

    private <T> void add(ProjectedStream<T> stream) {
        SubscriptionMetrics metrics = new SubscriptionMetrics(registry, stream.settings().name(), false);
        DataSource database = dataSource.get();
        add(new Subscription(stream.settings(), stream.table(), database, () -> new DatabaseSubscriber<>(stream, database, metrics),
                metrics), metrics, stream.table());
    }

    private void add(Subscription subscription, SubscriptionMetrics metrics, AppendOnlyTable table) {
        if (subscriptions.putIfAbsent(subscription.name(), new Running(subscription, metrics, table)) != null) {
            throw new IllegalStateException("Two subscriptions are named " + subscription.name());
        }
        HealthRegistries.getHealthGroupRegistry(HEALTH_GROUP).register(subscription.name(),
                new SubscriptionHealthCheck(subscription, metrics));
    }

    /** The subscription of that name (tests stop and start one as a crash would). */
    public synchronized Subscription subscription(String name) {
        Running running = subscriptions.get(name);
        if (running == null) {
            throw new NoSuchElementException("No subscription " + name);
        }
        return running.subscription();
    }

    private void sample() {
        List<Running> all;
        synchronized (this) {
            all = new ArrayList<>(subscriptions.values());
        }
        DataSource database = dataSource.get();
        for (Running running : all) {
            running.metrics().sample(database, running.table(), running.subscription().settings().checkpoint());
        }
    }

    @PreDestroy
    synchronized void stop() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        subscriptions.values().forEach(running -> running.subscription().stop());
    }
}

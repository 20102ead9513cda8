package dev.incidentplatform.platform.outbox;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;

/**
 * One subscription's meters, tagged {@code stream=<name>}, all registered when it is declared (a rate exists before
 * the first row): {@code outbox_published_total} (a Kafka relay) or {@code outbox_applied_total} (a database
 * subscriber), {@code outbox_failures_total}, {@code outbox_leader}, {@code outbox_lag_events} (rows past the
 * checkpoint), {@code outbox_lag_seconds} (age of the oldest of them) and {@code outbox_latency_seconds} (a row's
 * recorded time to its delivery, p50/p99). The lag is sampled from the database (see {@link #sample}), never on a
 * scrape, so that neither a scrape nor a health check waits for the database.
 */
final class SubscriptionMetrics {

    /** The backlog as last sampled; {@code failure} says why the last attempt could not read it (null: it could). */
    record Lag(long rows, Duration oldest, Instant sampledAt, String failure) {
    }

    private final Counter delivered;
    private final Counter failures;
    private final Timer latency;
    private final AtomicLong leader = new AtomicLong();
    private volatile Lag lag = new Lag(0, Duration.ZERO, null, "not sampled yet");

    SubscriptionMetrics(MeterRegistry registry, String stream, boolean relay) {
        Tags tags = Tags.of("stream", stream);
        this.delivered = relay
                ? Counter.builder("outbox.published").description("Records a relay published to Kafka (committed transactions)")
                        .tags(tags).register(registry)
                : Counter.builder("outbox.applied").description("Rows a subscriber applied to its database (committed)")
                        .tags(tags).register(registry);
        this.failures = Counter.builder("outbox.failures")
                .description("Failed attempts to deliver (broker or database unreachable, transaction aborted); each is retried with back-off")
                .tags(tags).register(registry);
        // Percentiles over the last ~20 s, so that a quiet spell is not hidden behind an earlier burst.
        this.latency = Timer.builder("outbox.latency").description("From a row's recorded time to its delivery being committed")
                .tags(tags).publishPercentiles(0.5, 0.99).distributionStatisticExpiry(Duration.ofSeconds(20))
                .distributionStatisticBufferLength(2).register(registry);
        Gauge.builder("outbox.leader", leader, AtomicLong::get)
                .description("1 while this instance holds the subscription's lock and delivers; 0 while it stands by")
                .tags(tags).register(registry);
        Gauge.builder("outbox.lag.events", this, m -> m.lag.rows()).description("Rows appended but not yet delivered")
                .tags(tags).register(registry);
        Gauge.builder("outbox.lag.seconds", this, m -> m.lag.oldest().toMillis() / 1000.0)
                .description("Age of the oldest row not yet delivered (0 when none waits)").tags(tags).register(registry);
    }

    void delivered(List<Instant> recordedAt) {
        delivered.increment(recordedAt.size());
        Instant now = Instant.now();
        recordedAt.forEach(at -> latency.record(Duration.between(at, now)));
    }

    void failed() {
        failures.increment();
    }

    void leader(boolean held) {
        leader.set(held ? 1 : 0);
    }

    Lag lag() {
        return lag;
    }

    /** Measures the backlog; on failure the last values stay and say why they were not renewed. */
    void sample(DataSource dataSource, AppendOnlyTable table, String checkpoint) {
        Lag last = lag;
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(true);
            AppendOnlyTable.Backlog backlog = table.backlog(connection, checkpoint);
            lag = new Lag(backlog.rows(), backlog.oldest(), Instant.now(), null);
        } catch (SQLException | RuntimeException e) {
            lag = new Lag(last.rows(), last.oldest(), last.sampledAt(),
                    "the table could not be read (" + e.getClass().getSimpleName() + ")");
        }
    }
}

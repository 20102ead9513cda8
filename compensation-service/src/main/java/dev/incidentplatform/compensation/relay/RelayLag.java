package dev.incidentplatform.compensation.relay;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.ToDoubleFunction;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.Startup;

/**
 * How far the credit relay is behind the ledger: the issued entries after its checkpoint (committed, not yet
 * acknowledged by the broker) and the age of the oldest of them. Measured from the database, so it is true whichever
 * instance relays and while the broker is away; one measurement serves every reader for {@link #REFRESH}, so that
 * scrapes and health probes do not each count the backlog.
 */
@Startup
@ApplicationScoped
public class RelayLag {

    /** A measurement is reused this long. */
    static final Duration REFRESH = Duration.ofSeconds(1);

    /** The backlog; {@code oldestSeconds} is 0 when there is none. */
    public record Measurement(long events, double oldestSeconds, Instant at) {
    }

    private final DataSource dataSource;
    private final String topic;
    private final Clock clock;
    private volatile Measurement last;

    public RelayLag(DataSource dataSource, MeterRegistry meters, Clock clock,
            @ConfigProperty(name = "compensation.relay.topic", defaultValue = "credit-events") String topic) {
        this.dataSource = dataSource;
        this.topic = topic;
        this.clock = clock;
        Gauge.builder("compensation.relay.lag.events", this, lag -> lag.sample(Measurement::events))
                .description("Issued credits in the ledger that the relay has not yet had acknowledged by the broker")
                .register(meters);
        Gauge.builder("compensation.relay.lag.seconds", this, lag -> lag.sample(Measurement::oldestSeconds))
                .description("Age of the oldest issued credit not yet acknowledged by the broker; 0 when there is none")
                .baseUnit("seconds").register(meters);
    }

    /** The current lag (at most {@link #REFRESH} old); SQLException when the database cannot be asked. */
    public Measurement measure() throws SQLException {
        Measurement cached = last;
        Instant now = clock.instant();
        if (cached != null && cached.at().plus(REFRESH).isAfter(now)) {
            return cached;
        }
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT count(*), coalesce(extract(epoch FROM now() - min(cr.issued_at)), 0)
                FROM relay_checkpoint k
                JOIN credit cr ON (cr.transaction_id, cr.position) > (k.transaction_id, k.position)
                WHERE k.name = ? AND cr.status = 'issued'""")) {
            query.setString(1, topic);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                Measurement measured = new Measurement(rows.getLong(1), Math.max(0, rows.getDouble(2)), now);
                last = measured;
                return measured;
            }
        }
    }

    /** For the gauges: NaN (no sample) while the database cannot be asked, rather than a false 0. */
    private double sample(ToDoubleFunction<Measurement> value) {
        try {
            return value.applyAsDouble(measure());
        } catch (SQLException | RuntimeException e) {
            return Double.NaN;
        }
    }
}

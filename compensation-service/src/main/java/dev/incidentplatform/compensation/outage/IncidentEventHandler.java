package dev.incidentplatform.compensation.outage;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.incidentplatform.compensation.domain.IncidentTimeline;
import dev.incidentplatform.compensation.ledger.CreditCalculator;
import io.quarkus.narayana.jta.runtime.TransactionConfiguration;

/**
 * Applies one incident event in one transaction: the inbox row, the event's status change, the incident's outage
 * windows and, for the resolving update, the credits. Either all of it commits or none; the Kafka offset is
 * committed only after.
 */
@ApplicationScoped
public class IncidentEventHandler {

    private static final Logger LOG = Logger.getLogger(IncidentEventHandler.class);

    private final DataSource dataSource;
    private final IncidentRepository incidents;
    private final CreditCalculator credits;
    private final IncidentEventMetrics metrics;

    public IncidentEventHandler(DataSource dataSource, IncidentRepository incidents, CreditCalculator credits,
            IncidentEventMetrics metrics) {
        this.dataSource = dataSource;
        this.incidents = incidents;
        this.credits = credits;
        this.metrics = metrics;
    }

    public enum Outcome {
        APPLIED, DUPLICATE, SUPERSEDED_VERSION
    }

    /** A million contracts take a while to credit: the transaction may run long, it must not time out at 60 s. */
    @Transactional
    @TransactionConfiguration(timeout = 3600)
    public Outcome apply(IncidentEvent event, String topic, int partition, long offset) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            if (!incidents.recordInInbox(c, event, topic, partition, offset)) {
                metrics.count(IncidentEventMetrics.Outcome.DUPLICATE);
                return Outcome.DUPLICATE;
            }
            if (!event.changesImpact()) {
                metrics.count(IncidentEventMetrics.Outcome.NO_IMPACT);
                return Outcome.APPLIED;
            }
            IncidentTimeline before = incidents.timeline(c, event.incidentId());
            if (!incidents.store(c, event)) {
                LOG.warnf("Incident %s already has an event at version %d; event %s ignored", event.incidentId(),
                        event.streamVersion(), event.eventId());
                metrics.count(IncidentEventMetrics.Outcome.SUPERSEDED_VERSION);
                return Outcome.SUPERSEDED_VERSION;
            }
            IncidentTimeline after = incidents.timeline(c, event.incidentId());
            incidents.replaceWindows(c, after);
            if (!before.isResolved() && after.isResolved()) {
                long entries = credits.creditResolution(c, after, event);
                LOG.infof("Incident %s resolved at %s: %d ledger entries", event.incidentId(), after.resolvedAt().orElseThrow(),
                        entries);
            }
            metrics.count(IncidentEventMetrics.Outcome.APPLIED);
            return Outcome.APPLIED;
        }
    }
}

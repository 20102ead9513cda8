package dev.incidentplatform.compensation.outage;

import java.sql.Connection;
import java.sql.SQLException;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.jboss.logging.Logger;

import dev.incidentplatform.compensation.creditrun.CreditRunPlanner;
import dev.incidentplatform.compensation.creditrun.Resolution;
import dev.incidentplatform.compensation.domain.IncidentTimeline;

/**
 * Applies one incident event in one short transaction: the inbox row, the event's status change, the incident's
 * outage windows and, for the resolving update, the credit decisions and runs ({@link CreditRunPlanner}). Either all
 * of it commits or none; the Kafka offset is committed only after. The runs are applied to the contracts afterwards,
 * chunk by chunk, by the credit-run worker: however many contracts there are, this transaction does not grow.
 */
@ApplicationScoped
public class IncidentEventHandler {

    private static final Logger LOG = Logger.getLogger(IncidentEventHandler.class);

    private final DataSource dataSource;
    private final IncidentRepository incidents;
    private final CreditRunPlanner credits;
    private final IncidentEventMetrics metrics;

    public IncidentEventHandler(DataSource dataSource, IncidentRepository incidents, CreditRunPlanner credits,
            IncidentEventMetrics metrics) {
        this.dataSource = dataSource;
        this.incidents = incidents;
        this.credits = credits;
        this.metrics = metrics;
    }

    public enum Outcome {
        APPLIED, DUPLICATE, SUPERSEDED_VERSION
    }

    @Transactional
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
                int runs = credits.plan(c, after,
                        new Resolution(event.eventId(), event.incidentId(), event.correlationId(), event.actor()),
                        (service, month) -> incidents.resolvedTimelinesWithDowntime(c, service, month));
                LOG.infof("Incident %s resolved at %s: %d credit runs planned", event.incidentId(),
                        after.resolvedAt().orElseThrow(), runs);
            }
            metrics.count(IncidentEventMetrics.Outcome.APPLIED);
            return Outcome.APPLIED;
        }
    }
}

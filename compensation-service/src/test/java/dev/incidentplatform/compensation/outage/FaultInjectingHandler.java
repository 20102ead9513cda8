package dev.incidentplatform.compensation.outage;

import java.sql.SQLException;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.Alternative;
import jakarta.inject.Singleton;
import jakarta.transaction.Transactional;

import dev.incidentplatform.compensation.creditrun.CreditRunPlanner;

/**
 * The incident event handler of every {@code @QuarkusTest}, which fails (as a bug in it would: the same way every time)
 * for the events a test names, and applies every other event as the real one does. {@link #heal} is the fix.
 */
@Alternative
@Priority(1)
@Singleton
public class FaultInjectingHandler extends IncidentEventHandler {

    private static final Set<UUID> FAILING = ConcurrentHashMap.newKeySet();

    public FaultInjectingHandler(DataSource dataSource, IncidentRepository incidents, CreditRunPlanner credits,
            IncidentEventMetrics metrics) {
        super(dataSource, incidents, credits, metrics);
    }

    public static void breakFor(UUID eventId) {
        FAILING.add(eventId);
    }

    public static void heal(UUID eventId) {
        FAILING.remove(eventId);
    }

    @Override
    @Transactional
    public Outcome apply(IncidentEvent event, String topic, int partition, long offset) throws SQLException {
        if (FAILING.contains(event.eventId())) {
            throw new IllegalStateException("Injected fault: the handler cannot apply event " + event.eventId());
        }
        return super.apply(event, topic, partition, offset);
    }
}

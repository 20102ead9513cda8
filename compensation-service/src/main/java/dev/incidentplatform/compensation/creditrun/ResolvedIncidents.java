package dev.incidentplatform.compensation.creditrun;

import java.sql.SQLException;
import java.util.Collection;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.IncidentTimeline;

/**
 * The resolved incidents with downtime of a service in a month, read in the planning transaction by whoever stores
 * incidents (the incident-events consumer): the planner needs them, not how they are stored.
 */
@FunctionalInterface
public interface ResolvedIncidents {

    Collection<IncidentTimeline> withDowntime(String service, BillingMonth month) throws SQLException;
}

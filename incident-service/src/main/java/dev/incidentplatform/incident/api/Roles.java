package dev.incidentplatform.incident.api;

/**
 * The roles a bearer token carries (its {@code groups} claim) that this service checks: {@value #INCIDENT_WRITER}
 * opens incidents, posts updates and reviews and rebuilds the read models, and reads everything
 * {@value #INCIDENT_READER} reads; {@value #INCIDENT_READER} reads incidents, their events, the status board and
 * the progress of a read-model rebuild.
 * A token with neither gets 403; no valid token, 401.
 */
public final class Roles {

    public static final String INCIDENT_WRITER = "incident-writer";
    public static final String INCIDENT_READER = "incident-reader";

    private Roles() {
    }
}

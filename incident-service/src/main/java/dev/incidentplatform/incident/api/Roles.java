package dev.incidentplatform.incident.api;

/** The roles of DESIGN.md this service checks. */
public final class Roles {

    public static final String INCIDENT_WRITER = "incident-writer";
    public static final String INCIDENT_READER = "incident-reader";

    private Roles() {
    }
}

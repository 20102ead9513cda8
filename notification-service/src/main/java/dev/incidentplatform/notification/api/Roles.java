package dev.incidentplatform.notification.api;

/** The roles of DESIGN.md this service checks. */
public final class Roles {

    public static final String SUBSCRIBER_ADMIN = "subscriber-admin";

    private Roles() {
    }
}

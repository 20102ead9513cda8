package dev.incidentplatform.notification.api;

/**
 * The role a bearer token carries (its {@code groups} claim) that this service checks: {@value #SUBSCRIBER_ADMIN}
 * creates, reads, changes, deletes and imports subscribers and reads the deliveries. A token without it gets 403; no
 * valid token, 401. The unsubscribe page needs no token: its signed link is the authority.
 */
public final class Roles {

    public static final String SUBSCRIBER_ADMIN = "subscriber-admin";

    private Roles() {
    }
}

package dev.incidentplatform.compensation.api;

/** The roles of DESIGN.md this service checks. */
public final class Roles {

    public static final String BILLING_ADMIN = "billing-admin";
    public static final String BILLING_AUDITOR = "billing-auditor";

    private Roles() {
    }
}

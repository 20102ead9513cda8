package dev.incidentplatform.compensation.api;

/**
 * The roles a bearer token carries (its {@code groups} claim) that this service checks: {@value #BILLING_ADMIN}
 * creates and changes contracts and policies (and imports contracts), and reads everything {@value #BILLING_AUDITOR}
 * reads; {@value #BILLING_AUDITOR} reads contracts, policies and the credit ledger and exports it. A token with
 * neither gets 403; no valid token, 401.
 */
public final class Roles {

    public static final String BILLING_ADMIN = "billing-admin";
    public static final String BILLING_AUDITOR = "billing-auditor";

    private Roles() {
    }
}

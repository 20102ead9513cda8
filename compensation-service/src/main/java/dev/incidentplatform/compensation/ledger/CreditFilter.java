package dev.incidentplatform.compensation.ledger;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.platform.problem.FieldErrors;

/** Filters of the audit API, validated: an unknown value is a 400, never "no filter". */
public record CreditFilter(String customerId, UUID incidentId, String service, BillingMonth month, String kind, String status) {

    private static final Set<String> KINDS = Set.of("original", "adjustment");
    private static final Set<String> STATUSES = Set.of("issued", "below_minimum");

    public static CreditFilter parse(String customerId, String incidentId, String service, String month, String kind,
            String status) {
        FieldErrors errors = new FieldErrors();
        UUID incident = incidentId == null ? null : errors.check("incidentId", () -> {
            try {
                return UUID.fromString(incidentId);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("'" + incidentId + "' is not a UUID");
            }
        });
        BillingMonth billingMonth = month == null ? null : errors.check("month", () -> BillingMonth.parse(month));
        if (kind != null && !KINDS.contains(kind)) {
            errors.add("kind", "'" + kind + "' is not a kind; use original or adjustment");
        }
        if (status != null && !STATUSES.contains(status)) {
            errors.add("status", "'" + status + "' is not a status; use issued or below_minimum");
        }
        errors.throwIfAny("Invalid filter");
        return new CreditFilter(customerId, incident, service, billingMonth, kind, status);
    }

    /** SQL condition over credit {@code cr}, and its parameters in order. */
    String where(List<Object> parameters) {
        List<String> conditions = new ArrayList<>();
        if (customerId != null) {
            conditions.add("cr.customer_id = ?");
            parameters.add(customerId);
        }
        if (incidentId != null) {
            conditions.add("cr.incident_id = ?");
            parameters.add(incidentId);
        }
        if (service != null) {
            conditions.add("cr.service = ?");
            parameters.add(service);
        }
        if (month != null) {
            conditions.add("cr.billing_month = ?");
            parameters.add(Date.valueOf(month.firstDay()));
        }
        if (kind != null) {
            conditions.add("cr.kind = ?");
            parameters.add(kind);
        }
        if (status != null) {
            conditions.add("cr.status = ?");
            parameters.add(status);
        }
        return conditions.isEmpty() ? "true" : String.join(" AND ", conditions);
    }
}

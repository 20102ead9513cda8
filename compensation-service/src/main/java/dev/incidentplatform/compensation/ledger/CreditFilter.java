package dev.incidentplatform.compensation.ledger;

import java.sql.Date;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.incidentplatform.compensation.api.Months;
import dev.incidentplatform.compensation.api.Names;
import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.platform.problem.FieldErrors;

/** Filters of the audit API, validated: an unknown value is a 400, never "no filter". */
public record CreditFilter(String customerId, UUID incidentId, String service, BillingMonth month, String kind, String status) {

    private static final Set<String> KINDS = Set.of("original", "adjustment");
    private static final Set<String> STATUSES = Set.of("issued", "below_minimum");
    /** The canonical 8-4-4-4-12 form only: UUID.fromString also takes "1-1-1-1-1". */
    private static final java.util.regex.Pattern UUID_SYNTAX = java.util.regex.Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    public static CreditFilter parse(String customerId, String incidentId, String service, String month, String kind,
            String status) {
        FieldErrors errors = new FieldErrors();
        UUID incident = incidentId == null ? null : errors.check("incidentId", () -> {
            if (!UUID_SYNTAX.matcher(incidentId).matches()) {
                throw new IllegalArgumentException("must be a UUID such as 3f2c8a4e-0b1d-4c6e-9a7f-2d5e8b1c4a90");
            }
            return UUID.fromString(incidentId);
        });
        BillingMonth billingMonth = month == null ? null : errors.check("month", () -> Months.parse(month));
        // Filter values are checked against the syntax of what they filter: a value that no row can have is a
        // mistake to report, not an empty result (and it never reaches the database).
        Names.checkFilter(errors, "customerId", customerId, Names.CUSTOMER_ID, Names.CUSTOMER_ID_RULE);
        Names.checkFilter(errors, "service", service, Names.SERVICE, Names.SERVICE_RULE);
        if (kind != null && !KINDS.contains(kind)) {
            errors.add("kind", "must be original or adjustment");
        }
        if (status != null && !STATUSES.contains(status)) {
            errors.add("status", "must be issued or below_minimum");
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

package dev.incidentplatform.compensation.contract;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Currency;
import java.util.List;

import dev.incidentplatform.compensation.api.Months;
import dev.incidentplatform.compensation.api.Names;
import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.Money;
import dev.incidentplatform.compensation.domain.RegionSet;
import dev.incidentplatform.platform.problem.FieldErrors;

/** What one contract version says: regions, fee and policy from a month on. Validated the same for JSON and CSV. */
public record ContractTerms(RegionSet regions, BigDecimal monthlyFee, Currency currency, String policyId,
        BillingMonth effectiveFrom) {

    /** Validates raw fields; each problem goes to {@code errors} under its field name. Null if any is wrong. */
    static ContractTerms parse(FieldErrors errors, List<String> regions, String amount, String currencyCode,
            String policyId, String effectiveFrom, Collection<String> knownPolicies, BillingMonth currentMonth) {
        RegionSet regionSet = errors.check("regions", () -> RegionSet.of(regions));
        Currency currency = errors.check("monthlyFee.currency", () -> Money.currency(currencyCode));
        BigDecimal fee = currency == null ? null : errors.check("monthlyFee.amount", () -> Money.positiveAmount(amount, currency));
        if (Names.check(errors, "policyId", policyId, Names.POLICY_ID, Names.POLICY_ID_RULE)
                && !knownPolicies.contains(policyId)) {
            errors.add("policyId", "is not a policy; known: " + String.join(", ", knownPolicies));
        }
        BillingMonth from = effectiveFrom == null || effectiveFrom.isEmpty() ? currentMonth
                : errors.check("effectiveFrom", () -> Months.parse(effectiveFrom));
        if (regionSet == null || currency == null || fee == null || from == null || !knownPolicies.contains(policyId)) {
            return null;
        }
        return new ContractTerms(regionSet, fee, currency, policyId, from);
    }

    static void checkCustomerAndService(FieldErrors errors, String customerId, String service) {
        Names.check(errors, "customerId", customerId, Names.CUSTOMER_ID, Names.CUSTOMER_ID_RULE);
        Names.check(errors, "service", service, Names.SERVICE, Names.SERVICE_RULE);
    }
}

package dev.incidentplatform.compensation.contract;

import java.math.BigDecimal;
import java.util.Collection;
import java.util.Currency;
import java.util.List;
import java.util.regex.Pattern;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.Money;
import dev.incidentplatform.compensation.domain.RegionSet;
import dev.incidentplatform.platform.problem.FieldErrors;

/** What one contract version says: regions, fee and policy from a month on. Validated the same for JSON and CSV. */
public record ContractTerms(RegionSet regions, BigDecimal monthlyFee, Currency currency, String policyId,
        BillingMonth effectiveFrom) {

    static final Pattern SERVICE = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    /** Validates raw fields; each problem goes to {@code errors} under its field name. Null if any is wrong. */
    static ContractTerms parse(FieldErrors errors, List<String> regions, String amount, String currencyCode,
            String policyId, String effectiveFrom, Collection<String> knownPolicies, BillingMonth currentMonth) {
        RegionSet regionSet = errors.check("regions", () -> RegionSet.of(regions));
        Currency currency = errors.check("monthlyFee.currency", () -> Money.currency(currencyCode));
        BigDecimal fee = currency == null ? null : errors.check("monthlyFee.amount", () -> Money.positiveAmount(amount, currency));
        if (policyId == null || !knownPolicies.contains(policyId)) {
            errors.add("policyId", "unknown policy '" + policyId + "'; known: " + String.join(", ", knownPolicies));
        }
        BillingMonth from = effectiveFrom == null || effectiveFrom.isBlank() ? currentMonth
                : errors.check("effectiveFrom", () -> BillingMonth.parse(effectiveFrom));
        if (regionSet == null || currency == null || fee == null || from == null || !knownPolicies.contains(policyId)) {
            return null;
        }
        return new ContractTerms(regionSet, fee, currency, policyId, from);
    }

    static void checkCustomerAndService(FieldErrors errors, String customerId, String service) {
        if (customerId == null || customerId.isBlank() || customerId.length() > 100) {
            errors.add("customerId", "required, at most 100 characters");
        }
        if (service == null || !SERVICE.matcher(service).matches()) {
            errors.add("service", "a service id: lowercase letters, digits, '.', '_' and '-', e.g. azure-virtual-machines");
        }
    }
}

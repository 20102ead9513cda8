package dev.incidentplatform.compensation.policy;

import java.time.Instant;
import java.time.LocalDate;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.Policy;

/** A stored policy version: the domain policy and its history. */
public record PolicyVersion(Policy policy, LocalDate effectiveFrom, Instant recordedAt, String recordedBy, boolean used) {

    public BillingMonth effectiveFromMonth() {
        return BillingMonth.ofFirstDay(effectiveFrom);
    }
}

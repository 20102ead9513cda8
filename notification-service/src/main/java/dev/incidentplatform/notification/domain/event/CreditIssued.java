package dev.incidentplatform.notification.domain.event;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

/**
 * contracts/credit-issued/v1: money (exact decimal with its currency) and/or extension days. Percentages and minutes
 * are measurements, kept as the exact decimals the JSON carried.
 */
public record CreditIssued(UUID eventId, Instant occurredAt, UUID creditId, String customerId, String service,
        YearMonth billingMonth, List<UUID> incidentIds, BigDecimal downtimeMinutes, BigDecimal monthlyUptimePercent,
        BigDecimal creditPercent, Money amount, Integer extensionDays, String policyId, int policyVersion, String kind,
        Instant issuedAt) implements NotificationEvent {

    public static final String TYPE = "credit-issued";

    public record Money(BigDecimal amount, String currency) {
    }

    public CreditIssued {
        incidentIds = List.copyOf(incidentIds);
    }

    @Override
    public String eventType() {
        return TYPE;
    }
}

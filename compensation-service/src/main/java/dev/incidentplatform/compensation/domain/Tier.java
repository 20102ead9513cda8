package dev.incidentplatform.compensation.domain;

import java.math.BigDecimal;

/** Below {@code belowUptimePercent} monthly uptime, the customer gets {@code creditPercent} of the fee or {@code extensionDays}. */
public record Tier(BigDecimal belowUptimePercent, BigDecimal creditPercent, Integer extensionDays) {

    public static Tier money(String below, String percent) {
        return new Tier(new BigDecimal(below), new BigDecimal(percent), null);
    }

    public static Tier extension(String below, int days) {
        return new Tier(new BigDecimal(below), null, days);
    }
}

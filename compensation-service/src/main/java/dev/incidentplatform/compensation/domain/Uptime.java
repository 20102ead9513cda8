package dev.incidentplatform.compensation.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;

/**
 * Monthly uptime, exact: (month seconds − downtime seconds) / month seconds × 100, with downtime to the nanosecond.
 *
 * <p>Thresholds are compared on the exact value by cross-multiplying (no division, no rounding), so 99.9 is not
 * below 99.9. For display and storage the percent is truncated to {@value #SCALE} decimals; since thresholds have at
 * most {@value #SCALE} decimals (policies are validated so), the truncated value lies on the same side of every
 * threshold as the exact one.
 */
public record Uptime(BigDecimal downtimeSeconds, long monthSeconds) {

    public static final int SCALE = 4;
    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);

    public static Uptime of(Duration downtime, BillingMonth month) {
        BigDecimal seconds = BigDecimal.valueOf(downtime.getSeconds()).add(BigDecimal.valueOf(downtime.getNano(), 9));
        return new Uptime(seconds.stripTrailingZeros().compareTo(BigDecimal.ZERO) == 0 ? BigDecimal.ZERO : seconds,
                month.seconds());
    }

    /** Whether uptime is strictly below {@code thresholdPercent}: (M − D) × 100 &lt; T × M. */
    public boolean isBelow(BigDecimal thresholdPercent) {
        BigDecimal month = BigDecimal.valueOf(monthSeconds);
        return month.subtract(downtimeSeconds).multiply(HUNDRED).compareTo(thresholdPercent.multiply(month)) < 0;
    }

    /** Uptime percent truncated (toward zero) to {@value #SCALE} decimals. */
    public BigDecimal percent() {
        BigDecimal month = BigDecimal.valueOf(monthSeconds);
        return month.subtract(downtimeSeconds).multiply(HUNDRED).divide(month, SCALE, RoundingMode.DOWN);
    }

    /** Downtime in minutes, half-even to {@value #SCALE} decimals (a measurement, for people). */
    public BigDecimal downtimeMinutes() {
        return downtimeSeconds.divide(SIXTY, SCALE, RoundingMode.HALF_EVEN);
    }
}

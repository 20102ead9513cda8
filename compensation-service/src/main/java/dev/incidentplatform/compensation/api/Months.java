package dev.incidentplatform.compensation.api;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.platform.json.StrictTimes;

/**
 * Month fields and parameters of requests (effectiveFrom, the month filters, CSV cells): read by the platform's
 * {@link StrictTimes#month} like every month of every API (YYYY-MM, years 1970–2200, no 0000-01); the current UTC
 * month when absent.
 */
public final class Months {

    private Months() {
    }

    /** The month; an IllegalArgumentException whose message is the rule when the text breaks it. */
    public static BillingMonth parse(String text) {
        return new BillingMonth(StrictTimes.month(text));
    }

    public static BillingMonth orCurrent(String text, Clock clock) {
        if (text == null || text.isEmpty()) {
            return new BillingMonth(YearMonth.now(clock.withZone(ZoneOffset.UTC)));
        }
        return parse(text);
    }
}

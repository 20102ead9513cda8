package dev.incidentplatform.compensation.api;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;

import dev.incidentplatform.compensation.domain.BillingMonth;

/** Month parameters of requests: YYYY-MM, the current UTC month when absent. */
public final class Months {

    private Months() {
    }

    public static BillingMonth orCurrent(String text, Clock clock) {
        if (text == null || text.isBlank()) {
            return new BillingMonth(YearMonth.now(clock.withZone(ZoneOffset.UTC)));
        }
        return BillingMonth.parse(text);
    }
}

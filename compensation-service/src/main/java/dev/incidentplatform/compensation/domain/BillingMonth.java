package dev.incidentplatform.compensation.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/** A calendar month in UTC, the unit credits are computed for. */
public record BillingMonth(YearMonth month) implements Comparable<BillingMonth> {

    public static BillingMonth of(int year, int month) {
        return new BillingMonth(YearMonth.of(year, month));
    }

    public static BillingMonth containing(Instant instant) {
        return new BillingMonth(YearMonth.from(instant.atOffset(ZoneOffset.UTC)));
    }

    public static BillingMonth ofFirstDay(LocalDate firstDay) {
        return new BillingMonth(YearMonth.from(firstDay));
    }

    public Instant start() {
        return month.atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public Instant end() {
        return month.plusMonths(1).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    public TimeWindow window() {
        return new TimeWindow(start(), end());
    }

    public LocalDate firstDay() {
        return month.atDay(1);
    }

    /** Seconds in the month: days × 86 400 (UTC has no daylight saving; leap seconds are not counted). */
    public long seconds() {
        return month.lengthOfMonth() * 86_400L;
    }

    public long minutes() {
        return month.lengthOfMonth() * 1_440L;
    }

    public BillingMonth next() {
        return new BillingMonth(month.plusMonths(1));
    }

    /** Every month a window touches, in order: a window across a month boundary counts in both months. */
    public static List<BillingMonth> overlapping(TimeWindow window) {
        List<BillingMonth> months = new ArrayList<>();
        if (window.isEmpty()) {
            return months;
        }
        for (BillingMonth m = containing(window.start()); m.start().isBefore(window.end()); m = m.next()) {
            months.add(m);
        }
        return months;
    }

    @Override
    public int compareTo(BillingMonth other) {
        return month.compareTo(other.month);
    }

    @Override
    public String toString() {
        return month.toString();
    }
}

package dev.incidentplatform.platform.json;

import java.time.Instant;
import java.time.YearMonth;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Instants and months as the APIs read them, without any of java.time's leniency: UTC with 'Z', hours 00–23, seconds
 * 00–59 (no leap second, no 24:00), real calendar dates, and years from 1970 to 2200, so that a typo is refused
 * instead of silently moved.
 */
public final class StrictTimes {

    public static final int MIN_YEAR = 1970;
    public static final int MAX_YEAR = 2200;
    public static final String INSTANT_RULE = "must be a UTC instant such as 2024-07-19T04:09:00Z (years " + MIN_YEAR
            + "–" + MAX_YEAR + ")";
    public static final String MONTH_RULE = "must be a month such as 2024-07 (years " + MIN_YEAR + "–" + MAX_YEAR + ")";

    private static final Pattern INSTANT = Pattern.compile(
            "([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(\\.[0-9]{1,9})?Z");
    private static final Pattern MONTH = Pattern.compile("([0-9]{4})-([0-9]{2})");

    private StrictTimes() {
    }

    public static Instant instant(String text) {
        Matcher m = text == null ? null : INSTANT.matcher(text);
        if (m == null || !m.matches()) {
            throw new TextRuleException(INSTANT_RULE);
        }
        int year = Integer.parseInt(m.group(1));
        if (year < MIN_YEAR || year > MAX_YEAR || Integer.parseInt(m.group(4)) > 23 || Integer.parseInt(m.group(5)) > 59
                || Integer.parseInt(m.group(6)) > 59) {
            throw new TextRuleException(INSTANT_RULE);
        }
        try {
            Instant instant = Instant.parse(text);
            // Instant.parse accepts 2024-02-30 by resolving it; a date that does not round-trip is not a real date.
            if (!instant.toString().substring(0, 10).equals(text.substring(0, 10))) {
                throw new TextRuleException(INSTANT_RULE + "; " + text.substring(0, 10) + " is not a calendar date");
            }
            return instant;
        } catch (DateTimeParseException e) {
            throw new TextRuleException(INSTANT_RULE);
        }
    }

    public static YearMonth month(String text) {
        Matcher m = text == null ? null : MONTH.matcher(text);
        if (m == null || !m.matches()) {
            throw new TextRuleException(MONTH_RULE);
        }
        int year = Integer.parseInt(m.group(1));
        int month = Integer.parseInt(m.group(2));
        if (year < MIN_YEAR || year > MAX_YEAR || month < 1 || month > 12) {
            throw new TextRuleException(MONTH_RULE);
        }
        return YearMonth.of(year, month);
    }
}

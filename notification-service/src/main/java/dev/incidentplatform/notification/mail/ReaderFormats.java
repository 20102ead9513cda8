package dev.incidentplatform.notification.mail;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

import dev.incidentplatform.notification.domain.Language;

/**
 * How a notice writes dates, times and numbers for one reader: with the patterns and separators of their language,
 * and every instant in their time zone, followed by the zone's abbreviation so that no reader has to guess it.
 */
final class ReaderFormats {

    static final ZoneId UTC = ZoneId.of("UTC");

    private final NoticeMessages messages;
    private final Locale locale;
    private final ZoneId zone;
    private final DateTimeFormatter dateTime;
    private final DateTimeFormatter time;
    private final DateTimeFormatter zoneName;
    private final DateTimeFormatter day;

    ReaderFormats(NoticeMessages messages, Language language, ZoneId zone) {
        this.messages = messages;
        this.locale = Locale.forLanguageTag(language.tag());
        this.zone = zone;
        this.dateTime = DateTimeFormatter.ofPattern(messages.dateTimePattern(), locale).withZone(zone);
        this.time = DateTimeFormatter.ofPattern(messages.timePattern(), locale).withZone(zone);
        this.zoneName = DateTimeFormatter.ofPattern("z", locale).withZone(zone);
        this.day = DateTimeFormatter.ISO_LOCAL_DATE.withZone(zone);
    }

    /** The reader's zone: the one they chose, UTC when they chose none (or one this JDK no longer knows). */
    static ZoneId zoneOf(String timeZone) {
        if (timeZone == null) {
            return UTC;
        }
        try {
            return ZoneId.of(timeZone);
        } catch (DateTimeException e) {
            return UTC;
        }
    }

    Locale locale() {
        return locale;
    }

    /** {@code 3 Jul 2024, 14:05 CEST}; empty for an unknown instant. */
    String dateTime(Instant instant) {
        return instant == null ? "" : dateTime.format(instant) + " " + zoneName.format(instant);
    }

    /**
     * An outage window: {@code 3 Jul 2024, 14:05 – 15:20 CEST} within one day, both ends in full otherwise, and
     * "since …" while it has not ended; null when its start is not known.
     */
    String window(Instant start, Instant end) {
        if (start == null) {
            return null;
        }
        if (end == null) {
            return messages.ongoingSince(dateTime(start));
        }
        boolean sameDay = day.format(start).equals(day.format(end));
        boolean sameZoneName = zoneName.format(start).equals(zoneName.format(end));
        if (sameDay && sameZoneName) {
            return dateTime.format(start) + " – " + time.format(end) + " " + zoneName.format(end);
        }
        return dateTime(start) + " – " + dateTime(end);
    }

    /** {@code July 2024}, {@code Juli 2024}. */
    String month(YearMonth month) {
        return DateTimeFormatter.ofPattern(messages.monthPattern(), locale).format(ZonedDateTime.of(
                month.atDay(1).atStartOfDay(), zone));
    }

    /** An exact decimal with the digits it has, grouped and separated as the language writes numbers. */
    String number(BigDecimal value) {
        if (value == null) {
            return null;
        }
        DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(locale));
        format.setMinimumFractionDigits(Math.max(value.scale(), 0));
        format.setMaximumFractionDigits(Math.max(value.scale(), 0));
        format.setParseBigDecimal(true);
        return format.format(value);
    }
}

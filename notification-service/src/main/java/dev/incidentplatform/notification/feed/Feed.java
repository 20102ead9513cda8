package dev.incidentplatform.notification.feed;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One feed as every format writes it: its name, links and entries (newest first).
 *
 * @param selfUrl this feed's own address in the format being written, with its filter
 * @param homeUrl the status page the feed is the feed of
 */
record Feed(String title, String description, String author, String selfUrl, String homeUrl, List<FeedEntry> entries) {

    /** RFC 3339 in UTC to the millisecond, the one spelling every reader parses (Atom, JSON Feed). */
    private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT)
            .withZone(ZoneOffset.UTC);
    /** RFC 822 as RSS 2.0 asks (with a four-digit year and a two-digit day, as its profile recommends). */
    private static final DateTimeFormatter RFC_822 = DateTimeFormatter.ofPattern("EEE, dd MMM uuuu HH:mm:ss 'GMT'", Locale.ENGLISH)
            .withZone(ZoneOffset.UTC);

    Feed {
        entries = List.copyOf(entries);
    }

    /**
     * When the feed last changed: when its latest entry was recorded (not when it occurred: an event that happened
     * earlier can arrive after a later one, and the feed changes when it arrives). Empty for a feed without entries.
     */
    Optional<Instant> updated() {
        return entries.stream().map(FeedEntry::recordedAt).max(Instant::compareTo);
    }

    static String rfc3339(Instant instant) {
        return RFC_3339.format(instant.truncatedTo(ChronoUnit.MILLIS));
    }

    static String rfc822(Instant instant) {
        return RFC_822.format(instant);
    }
}

package dev.incidentplatform.notification.feed;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.incidentplatform.platform.problem.ProblemException;

/**
 * The conditional requests of a GET (or HEAD) of a representation with a strong entity tag and, when it has one, a
 * last-modification time, evaluated in RFC 9110 §13.2.2's order: If-Match, else If-Unmodified-Since (412 when
 * false); then If-None-Match, else If-Modified-Since (304 when false). If-None-Match compares weakly, If-Match
 * strongly (§8.8.3.2). An entity-tag list that breaks RFC 9110's syntax is 400; a date that is not an HTTP-date, or is
 * given more than once, is ignored, as §13.1.3 and §13.1.4 require. JAX-RS has {@code Request.evaluatePreconditions},
 * but Quarkus REST's compares If-None-Match strongly and answers a malformed tag with an error of its own.
 */
final class Preconditions {

    enum Outcome {
        /** Send the representation. */
        SEND,
        /** 304: the client's copy is current. */
        NOT_MODIFIED
    }

    /** RFC 850's two-digit year is the one within 50 years of today (RFC 9110 §5.6.7). */
    private static final DateTimeFormatter RFC_850 = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEEE, dd-MMM-").appendValueReduced(ChronoField.YEAR, 2, 2, LocalDate.now(ZoneOffset.UTC).minusYears(49))
            .appendPattern(" HH:mm:ss 'GMT'").toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter ASCTIME = new DateTimeFormatterBuilder().parseCaseInsensitive()
            .appendPattern("EEE MMM ppd HH:mm:ss uuuu").toFormatter(Locale.ENGLISH).withZone(ZoneOffset.UTC);

    private Preconditions() {
    }

    /**
     * @param etag the representation's strong entity tag, quotes included
     * @param lastModified its last modification, if it has one
     * @param ifMatch every If-Match field line (empty: none), and so on
     */
    static Outcome evaluate(String etag, Optional<Instant> lastModified, List<String> ifMatch, List<String> ifUnmodifiedSince,
            List<String> ifNoneMatch, List<String> ifModifiedSince) {
        Optional<Instant> modified = lastModified.map(time -> time.truncatedTo(ChronoUnit.SECONDS));
        if (!ifMatch.isEmpty()) {
            List<String> tags = tags("If-Match", ifMatch);
            if (!tags.contains("*") && !tags.contains(etag)) {
                throw precondition("If-Match names none of its entity tags");
            }
        } else {
            Optional<Instant> since = date(ifUnmodifiedSince);
            if (since.isPresent() && modified.isPresent() && modified.get().isAfter(since.get())) {
                throw precondition("it has changed since If-Unmodified-Since");
            }
        }
        if (!ifNoneMatch.isEmpty()) {
            String opaque = opaque(etag);
            boolean matches = tags("If-None-Match", ifNoneMatch).stream().anyMatch(tag -> tag.equals("*") || opaque(tag).equals(opaque));
            return matches ? Outcome.NOT_MODIFIED : Outcome.SEND;
        }
        Optional<Instant> since = date(ifModifiedSince);
        if (since.isPresent() && modified.isPresent() && !modified.get().isAfter(since.get())) {
            return Outcome.NOT_MODIFIED;
        }
        return Outcome.SEND;
    }

    private static ProblemException precondition(String why) {
        return new ProblemException(412, "The feed does not meet the request's precondition: " + why
                + ". Fetch it again without If-Match or If-Unmodified-Since.");
    }

    /** The entity tag without its weakness indicator: what weak comparison compares. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    /**
     * The members of {@code * / #entity-tag} across all field lines, each as written ({@code W/"x"}, {@code "x"}).
     * A comma may stand inside a tag's quotes, so the list is read character by character, not split.
     */
    static List<String> tags(String field, List<String> lines) {
        List<String> tags = new ArrayList<>();
        for (String line : lines) {
            String value = line.strip();
            if (value.equals("*")) {
                tags.add("*");
                continue;
            }
            int i = 0;
            while (i < value.length()) {
                char c = value.charAt(i);
                if (c == ',' || c == ' ' || c == '\t') {
                    i++;
                    continue;
                }
                int start = i;
                if (value.startsWith("W/", i)) {
                    i += 2;
                }
                if (i >= value.length() || value.charAt(i) != '"') {
                    throw malformed(field);
                }
                int close = i + 1;
                while (close < value.length() && tagCharacter(value.charAt(close))) {
                    close++;
                }
                if (close >= value.length() || value.charAt(close) != '"') {
                    throw malformed(field);
                }
                tags.add(value.substring(start, close + 1));
                i = close + 1;
                if (i < value.length() && value.charAt(i) != ',' && value.charAt(i) != ' ' && value.charAt(i) != '\t') {
                    throw malformed(field);
                }
            }
        }
        if (tags.isEmpty()) {
            throw malformed(field);
        }
        return tags;
    }

    /** etagc: %x21 / %x23-7E / obs-text (RFC 9110 §8.8.3). */
    private static boolean tagCharacter(char c) {
        return c == 0x21 || (c >= 0x23 && c <= 0x7E) || (c >= 0x80 && c <= 0xFF);
    }

    private static ProblemException malformed(String field) {
        return ProblemException.field(field, "must be * or a comma-separated list of entity tags, each quoted as the"
                + " ETag header sends it (\"abc\", or W/\"abc\")");
    }

    /** The one HTTP-date of a field, in any of its three formats; empty when absent, repeated or not a date. */
    static Optional<Instant> date(List<String> lines) {
        if (lines.size() != 1) {
            return Optional.empty();
        }
        String value = lines.get(0).strip();
        for (DateTimeFormatter format : List.of(DateTimeFormatter.RFC_1123_DATE_TIME, RFC_850, ASCTIME)) {
            try {
                return Optional.of(ZonedDateTime.parse(value, format).toInstant());
            } catch (DateTimeParseException notThisFormat) {
                // The next format, or none.
            }
        }
        return Optional.empty();
    }
}

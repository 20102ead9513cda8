package dev.incidentplatform.notification.domain;

import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import dev.incidentplatform.platform.json.Texts;

/**
 * A subscriber as someone asked for it (REST or one CSV line), before it is stored: the rules every subscriber
 * obeys, whichever way it arrives. The syntaxes of customer, service and region ids are the ones all three services
 * share, so that a name means the same everywhere.
 *
 * @param locale the tag of the {@link Language} their notices are written in; null: {@link Language#DEFAULT}
 * @param timeZone the IANA time zone (region id, e.g. {@code Europe/Berlin}) their dates are written in; null: UTC
 */
public record SubscriberDraft(String email, String name, String customerId, List<String> services, List<String> regions,
        String locale, String timeZone) {

    /** The WHATWG definition of a valid e-mail address (what browsers accept), plus a dot in the domain. */
    private static final Pattern EMAIL = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$");
    public static final Pattern SERVICE = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    public static final Pattern REGION = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
    /** The first character is a letter or digit: a customer id can never be read as a spreadsheet formula. */
    public static final Pattern CUSTOMER_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9._:@-]{0,99}$");
    public static final String SERVICE_RULE = "must be a service id: 1 to 64 of a-z, 0-9, '.', '_', '-', starting with a letter or digit";
    public static final String REGION_RULE = "must be a region id: 1 to 64 of a-z, 0-9, '-', starting with a letter or digit";
    public static final String CUSTOMER_ID_RULE = "must be a customer id: 1 to 100 of A-Z, a-z, 0-9, '.', '_', ':', '@', '-',"
            + " starting with a letter or digit";
    /** RFC 5321 §4.5.3.1: a path is at most 256 octets with its angle brackets (254 for the address), a local part 64. */
    public static final int MAX_EMAIL = 254;
    public static final int MAX_LOCAL_PART = 64;
    public static final String EMAIL_RULE = "must be an e-mail address (local@domain.example; at most " + MAX_EMAIL
            + " characters, the local part at most " + MAX_LOCAL_PART + ")";
    public static final int MAX_NAME = 200;
    public static final int MAX_FILTER_ENTRIES = 100;
    public static final String LOCALE_RULE = "must be the tag of a language notices are written in: one of "
            + String.join(", ", Language.tags());
    public static final String TIME_ZONE_RULE = "must be an IANA time zone id, e.g. Europe/Berlin or America/New_York";
    /**
     * Fields whose value may be well formed and still name something this service cannot serve (a language without
     * templates, a zone the time-zone database does not know): a request whose only faults are these is 422, not 400.
     */
    public static final Set<String> UNSUPPORTED_VALUE_FIELDS = Set.of("locale", "timeZone");
    /**
     * Region ids of the IANA database as the JDK ships it; offsets such as {@code +01:00} are not zones, and the JDK's
     * own {@code SystemV/*} ids left the IANA database in 2020.
     */
    private static final Set<String> ZONES = ZoneId.getAvailableZoneIds().stream().filter(zone -> !zone.startsWith("SystemV/"))
            .collect(Collectors.toUnmodifiableSet());
    /** Values quoted back in a reason are cut here: a refusal never echoes a megabyte. */
    private static final int MAX_QUOTED = 40;

    public SubscriberDraft {
        email = email == null ? null : email.strip();
        name = blankToNull(name);
        customerId = blankToNull(customerId);
        services = distinct(services);
        regions = distinct(regions);
        locale = blankToNull(locale);
        timeZone = blankToNull(timeZone);
    }

    /** A draft without language or time zone (notices in English, dates in UTC). */
    public SubscriberDraft(String email, String name, String customerId, List<String> services, List<String> regions) {
        this(email, name, customerId, services, regions, null, null);
    }

    /** The address as uniqueness sees it: addresses differing only in case are the same subscriber. */
    public String normalizedEmail() {
        return email.toLowerCase(Locale.ROOT);
    }

    /** The first rule an address breaks, or null: also the syntax of the list's email filter. */
    public static String emailViolation(String email) {
        if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches() || email.indexOf('@') > MAX_LOCAL_PART) {
            return EMAIL_RULE;
        }
        return null;
    }

    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        if (email == null || email.isEmpty()) {
            violations.add(new Violation("email", "is required"));
        } else if (emailViolation(email) != null) {
            violations.add(new Violation("email", emailViolation(email)));
        }
        if (name != null) {
            String text = Texts.violation(name);
            if (text != null) {
                violations.add(new Violation("name", text));
            } else if (name.length() > MAX_NAME) {
                violations.add(new Violation("name", "must be at most " + MAX_NAME + " characters"));
            }
        }
        if (customerId != null && !CUSTOMER_ID.matcher(customerId).matches()) {
            violations.add(new Violation("customerId", CUSTOMER_ID_RULE));
        }
        checkList(violations, "services", services, SERVICE, SERVICE_RULE);
        checkList(violations, "regions", regions, REGION, REGION_RULE);
        if (regions.contains(Component.GLOBAL)) {
            violations.add(new Violation("regions", "must not name 'global': leave regions empty to follow every region"));
        }
        if (locale != null && Language.of(locale).isEmpty()) {
            violations.add(new Violation("locale", quoted(locale) + " " + LOCALE_RULE.replaceFirst("^must be", "is not")));
        }
        if (timeZone != null && !ZONES.contains(timeZone)) {
            violations.add(new Violation("timeZone", quoted(timeZone) + " " + TIME_ZONE_RULE.replaceFirst("^must be", "is not")));
        }
        return violations;
    }

    /** True when every violation is of a well-formed value this service cannot serve (see UNSUPPORTED_VALUE_FIELDS). */
    public static boolean onlyUnsupportedValues(List<Violation> violations) {
        return !violations.isEmpty() && violations.stream().allMatch(v -> UNSUPPORTED_VALUE_FIELDS.contains(v.field()));
    }

    private static void checkList(List<Violation> violations, String field, List<String> values, Pattern pattern, String rule) {
        if (values.size() > MAX_FILTER_ENTRIES) {
            // Each entry is not judged as well: an over-long list would otherwise earn an over-long answer.
            violations.add(new Violation(field, "must have at most " + MAX_FILTER_ENTRIES + " entries, has " + values.size()));
            return;
        }
        for (String value : values) {
            if (value == null) {
                violations.add(new Violation(field, "must not contain null"));
            } else if (!pattern.matcher(value).matches()) {
                violations.add(new Violation(field, quoted(value) + " " + rule.replaceFirst("^must be", "is not")));
            }
        }
    }

    /** A value as a reason may show it: printable, and short. */
    static String quoted(String value) {
        String printable = value.codePoints().map(c -> c < 0x20 || c == 0x7F || Character.isSurrogate((char) c) ? '?' : c)
                .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append).toString();
        return "'" + (printable.length() <= MAX_QUOTED ? printable : printable.substring(0, MAX_QUOTED) + "...") + "'";
    }

    /** Without repetitions, in order; a null entry is kept, so that violations() can name it. */
    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(new LinkedHashSet<>(values)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

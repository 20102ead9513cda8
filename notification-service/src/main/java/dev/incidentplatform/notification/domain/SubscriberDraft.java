package dev.incidentplatform.notification.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A subscriber as someone asked for it (REST or one CSV line), before it is stored: the rules every subscriber
 * obeys, whichever way it arrives.
 */
public record SubscriberDraft(String email, String name, String customerId, List<String> services, List<String> regions) {

    /** The WHATWG definition of a valid e-mail address (what browsers accept), plus a dot in the domain. */
    private static final Pattern EMAIL = Pattern.compile(
            "^[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
                    + "(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)+$");
    /** The contracts' patterns for service and region ids. */
    private static final Pattern SERVICE = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    private static final Pattern REGION = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");
    private static final int MAX_EMAIL = 254;
    private static final int MAX_NAME = 200;
    private static final int MAX_CUSTOMER_ID = 100;
    private static final int MAX_FILTER_ENTRIES = 100;

    public SubscriberDraft {
        email = email == null ? null : email.strip();
        name = blankToNull(name);
        customerId = blankToNull(customerId);
        services = services == null ? List.of() : List.copyOf(new LinkedHashSet<>(services));
        regions = regions == null ? List.of() : List.copyOf(new LinkedHashSet<>(regions));
    }

    /** The address as uniqueness sees it: addresses differing only in case are the same subscriber. */
    public String normalizedEmail() {
        return email.toLowerCase(Locale.ROOT);
    }

    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        if (email == null || email.isEmpty()) {
            violations.add(new Violation("email", "is required"));
        } else if (email.length() > MAX_EMAIL || !EMAIL.matcher(email).matches()) {
            violations.add(new Violation("email", "is not a valid e-mail address"));
        }
        if (name != null && name.length() > MAX_NAME) {
            violations.add(new Violation("name", "is longer than " + MAX_NAME + " characters"));
        }
        if (customerId != null && customerId.length() > MAX_CUSTOMER_ID) {
            violations.add(new Violation("customerId", "is longer than " + MAX_CUSTOMER_ID + " characters"));
        }
        checkList(violations, "services", services, SERVICE, "a service id (lower case letters, digits, '.', '_', '-')");
        checkList(violations, "regions", regions, REGION, "a region id (lower case letters, digits, '-')");
        if (regions.contains(Component.GLOBAL)) {
            violations.add(new Violation("regions", "must not name 'global': leave regions empty to follow every region"));
        }
        return violations;
    }

    private static void checkList(List<Violation> violations, String field, List<String> values, Pattern pattern, String what) {
        if (values.size() > MAX_FILTER_ENTRIES) {
            violations.add(new Violation(field, "has more than " + MAX_FILTER_ENTRIES + " entries"));
        }
        for (String value : values) {
            if (value == null || !pattern.matcher(value).matches()) {
                violations.add(new Violation(field, "'" + value + "' is not " + what));
            }
        }
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

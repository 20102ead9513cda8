package dev.incidentplatform.notification.domain;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import dev.incidentplatform.platform.json.Texts;

/**
 * A webhook endpoint as someone asked for it, before it is stored: the syntax every endpoint obeys. Its filters
 * (services, regions, customer) mean what a subscriber's mean and follow the same rules; {@code contact} is an address
 * as a subscriber's. Whether the URL may be called (https, a public address) is decided where the host is resolved.
 *
 * @param enabled null: as it is (on a change) or enabled (on creation)
 */
public record WebhookDraft(String url, String format, List<String> services, List<String> regions, String customerId,
        String contact, Boolean enabled) {

    public static final int MAX_URL = 2048;
    public static final Set<String> FORMATS = Set.of("generic", "slack", "teams");
    public static final String FORMAT_RULE = "must be one of generic, slack, teams";
    private static final Pattern ASCII_PRINTABLE = Pattern.compile("[\\x21-\\x7E]+");

    public WebhookDraft {
        url = url == null ? null : url.strip();
        format = format == null ? null : format.strip();
        services = distinct(services);
        regions = distinct(regions);
        customerId = blankToNull(customerId);
        contact = blankToNull(contact);
    }

    /** The URL as a URI; only for a draft without violations. */
    public URI uri() {
        return URI.create(url);
    }

    public List<Violation> violations() {
        List<Violation> violations = new ArrayList<>();
        String urlViolation = urlViolation(url);
        if (urlViolation != null) {
            violations.add(new Violation("url", urlViolation));
        }
        if (format == null || format.isEmpty()) {
            violations.add(new Violation("format", "is required; " + FORMAT_RULE));
        } else if (!FORMATS.contains(format)) {
            violations.add(new Violation("format", SubscriberDraft.quoted(format) + " is not a format: " + FORMAT_RULE));
        }
        checkList(violations, "services", services, SubscriberDraft.SERVICE, SubscriberDraft.SERVICE_RULE);
        checkList(violations, "regions", regions, SubscriberDraft.REGION, SubscriberDraft.REGION_RULE);
        if (regions.contains(Component.GLOBAL)) {
            violations.add(new Violation("regions", "must not name 'global': leave regions empty to follow every region"));
        }
        if (customerId != null && !SubscriberDraft.CUSTOMER_ID.matcher(customerId).matches()) {
            violations.add(new Violation("customerId", SubscriberDraft.CUSTOMER_ID_RULE));
        }
        if (contact != null) {
            String text = Texts.violation(contact);
            String address = text != null ? text : SubscriberDraft.emailViolation(contact);
            if (address != null) {
                violations.add(new Violation("contact", address));
            }
        }
        return violations;
    }

    /**
     * The first syntax rule a webhook URL breaks, or null: an absolute http(s) URL of at most {@value #MAX_URL}
     * characters, in ASCII (an international name in its punycode form), naming a host, without user name, password
     * or fragment. Whether http is allowed and where the host leads is the outbound policy's decision.
     */
    public static String urlViolation(String url) {
        if (url == null || url.isEmpty()) {
            return "is required";
        }
        if (url.length() > MAX_URL) {
            return "must be at most " + MAX_URL + " characters, has " + url.length();
        }
        String text = Texts.violation(url);
        if (text != null) {
            return text;
        }
        if (!ASCII_PRINTABLE.matcher(url).matches()) {
            return "must be printable ASCII without spaces (percent-encode the path; an international host name in its"
                    + " xn-- form)";
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "must be an absolute URL (RFC 3986): " + e.getReason();
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || uri.isOpaque() || !("https".equals(scheme) || "http".equals(scheme))) {
            return "must be an absolute https:// URL";
        }
        if (uri.getRawUserInfo() != null || (uri.getRawAuthority() != null && uri.getRawAuthority().contains("@"))) {
            return "must not contain a user name or password";
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            return "must name a host (letters, digits, '-' and '.', or an IP address in brackets for IPv6)";
        }
        if (uri.getRawAuthority() != null && uri.getRawAuthority().endsWith(":")) {
            return "must have a port after ':' (or no ':')";
        }
        if (uri.getPort() == 0 || uri.getPort() > 65_535) {
            return "must have a port from 1 to 65535";
        }
        if (uri.getRawFragment() != null) {
            return "must not have a fragment ('#…'): it is never sent";
        }
        return null;
    }

    private static void checkList(List<Violation> violations, String field, List<String> values, Pattern pattern, String rule) {
        if (values.size() > SubscriberDraft.MAX_FILTER_ENTRIES) {
            violations.add(new Violation(field, "must have at most " + SubscriberDraft.MAX_FILTER_ENTRIES + " entries, has "
                    + values.size()));
            return;
        }
        for (String value : values) {
            if (value == null) {
                violations.add(new Violation(field, "must not contain null"));
            } else if (!pattern.matcher(value).matches()) {
                violations.add(new Violation(field, SubscriberDraft.quoted(value) + " " + rule.replaceFirst("^must be", "is not")));
            }
        }
    }

    private static List<String> distinct(List<String> values) {
        return values == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(new LinkedHashSet<>(values)));
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}

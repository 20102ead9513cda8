package dev.incidentplatform.notification.feed;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.platform.http.QueryParameters;
import dev.incidentplatform.platform.links.PublicLinks;
import dev.incidentplatform.platform.problem.FieldErrors;

/**
 * Which entries a feed shows, as a subscriber's filter says which notices they receive: the services and the regions
 * of interest, each empty for "all". Given as {@code service} and {@code region} query parameters, each at most once
 * with its values separated by commas ({@code ?service=teams,exchange-online&region=eu-west}): a feed URL is pasted
 * into readers that keep one query string, and a comma can be in no service or region id. Values are kept sorted and
 * without repetitions, so that every spelling of one filter is one feed (one self link, one ETag).
 */
record FeedFilter(Set<String> services, Set<String> regions) {

    static final String SERVICE = "service";
    static final String REGION = "region";
    static final FeedFilter NONE = new FeedFilter(Set.of(), Set.of());

    private static final Set<String> PARAMETERS = Set.of(SERVICE, REGION);

    FeedFilter {
        services = new TreeSet<>(services);
        regions = new TreeSet<>(regions);
    }

    /** The filter of a request's decoded query parameters; 400 naming each parameter that breaks its rule. */
    static FeedFilter of(Map<String, List<String>> parameters) {
        QueryParameters.onlyKnown(parameters, PARAMETERS);
        FieldErrors errors = new FieldErrors();
        Set<String> services = values(errors, SERVICE, parameters.get(SERVICE), SubscriberDraft.SERVICE,
                SubscriberDraft.SERVICE_RULE);
        // 'global' is a region here, as in the subscriber list's filter: only what affects every region.
        Set<String> regions = values(errors, REGION, parameters.get(REGION), SubscriberDraft.REGION, SubscriberDraft.REGION_RULE);
        errors.throwIfAny("The feed's filter is not valid");
        return new FeedFilter(services, regions);
    }

    boolean none() {
        return services.isEmpty() && regions.isEmpty();
    }

    /** The filter as a query string ({@code ?service=a%2Cb&region=c}), or "" for none: what a self link ends with. */
    String query() {
        Map<String, String> query = new LinkedHashMap<>();
        if (!services.isEmpty()) {
            query.put(SERVICE, String.join(",", services));
        }
        if (!regions.isEmpty()) {
            query.put(REGION, String.join(",", regions));
        }
        return PublicLinks.location("", query);
    }

    private static Set<String> values(FieldErrors errors, String name, List<String> given, Pattern syntax, String rule) {
        Set<String> values = new TreeSet<>();
        if (given == null || given.isEmpty()) {
            return values;
        }
        List<String> broken = new ArrayList<>();
        String[] parts = given.get(0).split(",", -1);
        if (parts.length > SubscriberDraft.MAX_FILTER_ENTRIES) {
            errors.add(name, "must list at most " + SubscriberDraft.MAX_FILTER_ENTRIES + " values, lists " + parts.length);
            return values;
        }
        for (String part : parts) {
            if (part.isEmpty()) {
                broken.add("has an empty value; separate values with single commas, e.g. " + name + "=a,b");
            } else if (!syntax.matcher(part).matches()) {
                broken.add(quoted(part) + " " + rule.replaceFirst("^must be", "is not"));
            } else {
                values.add(part);
            }
        }
        broken.stream().distinct().forEach(reason -> errors.add(name, reason));
        return values;
    }

    /** A value as a reason may show it: short (RequestGuards has refused control characters before this runs). */
    private static String quoted(String value) {
        return "'" + (value.length() <= 40 ? value : value.substring(0, 40) + "...") + "'";
    }
}

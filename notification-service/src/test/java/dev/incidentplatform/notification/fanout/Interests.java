package dev.incidentplatform.notification.fanout;

import java.util.Set;

/**
 * What a subscriber asked to hear about: the services and regions of their filter (empty = all) and, for credit
 * notices, the customer they belong to.
 */
public record Interests(Set<String> services, Set<String> regions, String customerId) {

    public Interests {
        services = Set.copyOf(services);
        regions = Set.copyOf(regions);
    }
}

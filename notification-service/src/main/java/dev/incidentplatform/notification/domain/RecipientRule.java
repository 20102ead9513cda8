package dev.incidentplatform.notification.domain;

import java.util.Collection;
import java.util.Collections;

/**
 * Who receives a notice. The fan-out runs the same rule as SQL ({@code FanOut}); a test checks that both agree on a
 * table of cases.
 */
public final class RecipientRule {

    private RecipientRule() {
    }

    /**
     * A subscriber hears about an incident event when one of its components (every component the event lists) is in
     * a service they follow (or they follow all) and in a region they follow (or they follow all, or the component is
     * {@code global}).
     */
    public static boolean receivesIncidentNotice(Interests interests, Collection<Component> components) {
        return components.stream().anyMatch(component -> matches(interests, component));
    }

    private static boolean matches(Interests interests, Component component) {
        boolean service = interests.services().isEmpty() || interests.services().contains(component.service());
        boolean region = interests.regions().isEmpty() || component.global()
                || !Collections.disjoint(interests.regions(), component.regions());
        return service && region;
    }

    /** A credit notice goes to the subscribers who belong to the credited customer, whatever their filters. */
    public static boolean receivesCreditNotice(Interests interests, String creditedCustomerId) {
        return interests.customerId() != null && interests.customerId().equals(creditedCustomerId);
    }
}

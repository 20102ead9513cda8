package dev.incidentplatform.notification.fanout;

import java.util.Collection;
import java.util.Collections;

import dev.incidentplatform.notification.domain.Component;

/**
 * Test oracle of who receives a notice: the rule itself is the SQL of {@link FanOut} ({@code RECEIVES_INCIDENT_NOTICE},
 * {@code RECEIVES_CREDIT_NOTICE}), which selects and writes a fan-out's delivery rows in one statement. This is the
 * same rule written plainly, so that {@link RecipientRuleSqlTest} can hold the SQL to it on a table of cases and on
 * random subscribers in the real database. Change the rule in FanOut, then here.
 */
public final class RecipientRuleOracle {

    private RecipientRuleOracle() {
    }

    /**
     * An active recipient (of any channel) hears about an incident event when one of its components (every component
     * the event lists) is in a service they follow (or they follow all) and in a region they follow (or they follow all,
     * or the component is {@code global}).
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

    /** A credit notice goes to the active recipients who belong to the credited customer, whatever their filters. */
    public static boolean receivesCreditNotice(Interests interests, String creditedCustomerId) {
        return interests.customerId() != null && interests.customerId().equals(creditedCustomerId);
    }
}

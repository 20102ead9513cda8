package dev.incidentplatform.notification.fanout;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.domain.Component;

/** Given a subscriber's interests and an event's components → whether they receive the notice. */
class RecipientRuleOracleTest {

    @Test
    void matchesServiceAndRegionPerComponentWithGlobalAndEmptyFiltersMeaningEverything() {
        for (RecipientRuleCases.Case c : RecipientRuleCases.ALL) {
            assertThat(RecipientRuleOracle.receivesIncidentNotice(c.interests(), c.components())).as(c.name()).isEqualTo(c.receives());
        }
    }

    @Test
    void creditNoticesFollowTheCustomerWhateverTheFilters() {
        Interests contoso = new Interests(Set.of("teams"), Set.of("eu-west"), "contoso");
        assertThat(RecipientRuleOracle.receivesCreditNotice(contoso, "contoso")).isTrue();
        assertThat(RecipientRuleOracle.receivesCreditNotice(contoso, "fabrikam")).isFalse();
        assertThat(RecipientRuleOracle.receivesCreditNotice(new Interests(Set.of(), Set.of(), null), "contoso")).isFalse();
    }

    @Test
    void aComponentMustMatchServiceAndRegionItself() {
        Interests teamsInEurope = new Interests(Set.of("teams"), Set.of("eu-west"), null);
        // teams is hit in us-east, something else in eu-west: no single component is teams in eu-west.
        List<Component> components = List.of(new Component("teams", List.of("us-east"), "major_outage"),
                new Component("exchange-online", List.of("eu-west"), "major_outage"));
        assertThat(RecipientRuleOracle.receivesIncidentNotice(teamsInEurope, components)).isFalse();
    }
}

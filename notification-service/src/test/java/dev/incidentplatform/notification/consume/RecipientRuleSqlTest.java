package dev.incidentplatform.notification.consume;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.RecipientRule;
import dev.incidentplatform.notification.domain.RecipientRuleCases;
import dev.incidentplatform.notification.fanout.FanOut;
import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.unsubscribe.UnsubscribeLinks;
import io.quarkus.test.junit.QuarkusTest;

/** The fan-out's SQL and the plain-Java rule agree on every case of one table. */
@QuarkusTest
class RecipientRuleSqlTest {

    @Inject
    FanOut fanOut;

    @Inject
    UnsubscribeLinks links;

    @Test
    void theSqlSelectsExactlyWhomTheDomainRuleSelects() {
        String suffix = Api.unique("rule");
        for (RecipientRuleCases.Case c : RecipientRuleCases.ALL) {
            // Services are made unique to this test so other tests' subscribers stay out of the way; the table's
            // empty filters still mean "all".
            UUID id = Api.createSubscriber(Api.unique("case") + "@" + suffix + ".example.test",
                    c.interests().services().stream().map(s -> s + "-" + suffix).toList(), List.copyOf(c.interests().regions()));
            List<Component> components = new ArrayList<>();
            for (Component component : c.components()) {
                components.add(new Component(component.service() + "-" + suffix, component.regions(), component.status()));
            }
            Set<UUID> selected = new HashSet<>(fanOut.recipientsOf(components));
            // Gone before the next case (and before other tests' incidents): an empty filter would hear about them all.
            Api.admin().when().delete("/api/subscribers/" + id).then().statusCode(204);
            assertThat(selected.contains(id)).as(c.name()).isEqualTo(c.receives());
            assertThat(RecipientRule.receivesIncidentNotice(c.interests(), c.components())).as(c.name()).isEqualTo(c.receives());
        }
    }

    @Test
    void unsubscribedSubscribersNeverMatch() {
        String service = Api.unique("unsub-rule");
        UUID id = Api.createSubscriber(Api.unique("gone") + "@example.test", List.of(service), List.of());
        List<Component> components = List.of(new Component(service, List.of("global"), "major_outage"));
        assertThat(fanOut.recipientsOf(components)).contains(id);
        given().queryParam("token", links.url(id).substring(links.url(id).indexOf("token=") + 6))
                .when().post("/unsubscribe").then().statusCode(200);
        assertThat(fanOut.recipientsOf(components)).doesNotContain(id);
    }
}

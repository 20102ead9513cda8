package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;

class SubscriberDraftTest {

    @Test
    void aValidSubscriberHasNoViolationsAndANormalizedAddress() {
        SubscriberDraft draft = new SubscriberDraft(" Ops.Team@Contoso.COM ", "Ops", "contoso", List.of("teams", "teams"),
                List.of("eu-west"));
        assertThat(draft.violations()).isEmpty();
        assertThat(draft.email()).isEqualTo("Ops.Team@Contoso.COM");
        assertThat(draft.normalizedEmail()).isEqualTo("ops.team@contoso.com");
        assertThat(draft.services()).containsExactly("teams");
    }

    @Test
    void everyBrokenFieldIsNamedWithAReason() {
        SubscriberDraft draft = new SubscriberDraft("not-an-address", "n".repeat(201), null, List.of("Teams!"),
                List.of("global"));
        assertThat(draft.violations()).extracting(Violation::field).containsExactlyInAnyOrder("email", "name", "services", "regions");
    }

    @Test
    void addressesNeedALocalPartAndADomainWithADot() {
        for (String bad : List.of("", "a@", "@b.com", "a@b", "a b@c.com", "a@b..com", "a@-b.com")) {
            assertThat(new SubscriberDraft(bad, null, null, null, null).violations()).as(bad).extracting(Violation::field)
                    .contains("email");
        }
        for (String good : List.of("a@b.co", "first.last+tag@sub.example.com", "o'brien@example.ie")) {
            assertThat(new SubscriberDraft(good, null, null, null, null).violations()).as(good).isEmpty();
        }
    }
}

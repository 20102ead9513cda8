package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WebhookDraftTest {

    private static WebhookDraft draft(String url) {
        return new WebhookDraft(url, "generic", List.of(), List.of(), null, null, null);
    }

    @Test
    void aValidEndpointHasNoViolations() {
        assertThat(new WebhookDraft(" https://hooks.example.com:8443/a/b?c=d%20e ", "slack", List.of("storage", "storage"),
                List.of("eu-west"), "acme-1", "ops@acme.example", true).violations()).isEmpty();
        assertThat(draft("https://[2606:2800:220:1::1]/x").violations()).isEmpty();
        assertThat(draft("http://127.0.0.1:9000/x").violations()).as("http is the outbound policy's to judge").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = { "", "hooks.example.com/x", "/relative", "ftp://hooks.example.com/", "javascript:alert(1)",
            "https://user:pw@hooks.example.com/", "https://user@hooks.example.com/", "https:///nohost",
            "https://hooks.example.com/#fragment", "https://hooks.example.com:0/", "https://hooks.example.com:70000/",
            "https://hooks.example.com:/", "https://hooks.example.com/a b", "https://hööks.example.com/",
            "https://hooks.example.com/\u0000", "https://exa_mple.com/", "mailto:a@b.example", "https://[::1/" })
    void aBadUrlIsRefusedNamingTheField(String url) {
        assertThat(draft(url).violations()).extracting(Violation::field).containsExactly("url");
    }

    @Test
    void aUrlOverTheLimitIsRefused() {
        String url = "https://hooks.example.com/" + "a".repeat(WebhookDraft.MAX_URL);
        assertThat(draft(url).violations()).singleElement().satisfies(v -> assertThat(v.reason()).contains("2048"));
        assertThat(draft("https://hooks.example.com/" + "a".repeat(WebhookDraft.MAX_URL - 26)).violations()).isEmpty();
    }

    @Test
    void filtersFollowTheSubscribersRulesAndFormatAndContactTheirOwn() {
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i <= SubscriberDraft.MAX_FILTER_ENTRIES; i++) {
            tooMany.add("s" + i);
        }
        WebhookDraft draft = new WebhookDraft("https://hooks.example.com/", "email", tooMany,
                Arrays.asList("global", null, "EU"), "=cmd", "not-an-address", null);
        assertThat(draft.violations()).extracting(Violation::field)
                .containsExactly("format", "services", "regions", "regions", "regions", "customerId", "contact");
        assertThat(new WebhookDraft("https://hooks.example.com/", null, null, null, null, null, null).violations())
                .extracting(Violation::reason).containsExactly("is required; " + WebhookDraft.FORMAT_RULE);
    }
}

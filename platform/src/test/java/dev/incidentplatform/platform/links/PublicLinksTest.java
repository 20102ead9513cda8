package dev.incidentplatform.platform.links;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class PublicLinksTest {

    @Test
    void aLocationIsARelativeReferenceWithEachSegmentEncoded() {
        assertThat(PublicLinks.location("api", "policies", "gold sla/v2", "versions", "3"))
                .isEqualTo("/api/policies/gold%20sla%2Fv2/versions/3");
        assertThat(PublicLinks.location("/api/contracts/x", Map.of("version", "2"))).isEqualTo("/api/contracts/x?version=2");
        assertThat(PublicLinks.location("/unsubscribe", Map.of("token", "a+b=&c"))).isEqualTo("/unsubscribe?token=a%2Bb%3D%26c");
    }

    @Test
    void anAbsoluteLinkIsUnderTheBaseUrlWithoutADoubleSlash() {
        assertThat(links("https://status.example.test/").absolute("/unsubscribe?token=t"))
                .isEqualTo("https://status.example.test/unsubscribe?token=t");
        assertThat(links("http://127.0.0.1:8082").absolute("/x")).isEqualTo("http://127.0.0.1:8082/x");
    }

    @Test
    void onlyHttpsOrHttpOnThisMachineIsABaseUrl() {
        assertThatThrownBy(() -> links("http://status.example.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> links("https://status.example.test/?a=b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> links("status.example.test")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> links("https://exa mple")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void withoutABaseUrlNoAbsoluteLinkIsWritten() {
        PublicLinks none = new PublicLinks(Optional::empty);
        assertThatThrownBy(none::requireBaseUrl).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> none.absolute("/x")).isInstanceOf(IllegalStateException.class);
    }

    private static PublicLinks links(String base) {
        return new PublicLinks(() -> Optional.of(base));
    }
}

package dev.incidentplatform.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Base64;

import org.junit.jupiter.api.Test;

class SecretBoxTest {

    private static final String KEY = Base64.getEncoder().encodeToString(new byte[32]);

    @Test
    void aSealedValueOpensOnlyUnderItsKeyAndForItsPlace() {
        SecretBox box = new SecretBox(KEY);
        String sealed = box.seal("whsec_abc", "webhook-secret:1");

        assertThat(sealed).startsWith("v1.").doesNotContain("whsec_abc");
        assertThat(box.seal("whsec_abc", "webhook-secret:1")).isNotEqualTo(sealed);
        assertThat(box.open(sealed, "webhook-secret:1")).isEqualTo("whsec_abc");
        assertThatThrownBy(() -> box.open(sealed, "webhook-secret:2")).isInstanceOf(IllegalStateException.class);
        byte[] other = new byte[32];
        other[0] = 1;
        assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(other)).open(sealed, "webhook-secret:1"))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theKeyMustBeTheBase64OfThirtyTwoBytes() {
        assertThatThrownBy(() -> new SecretBox(Base64.getEncoder().encodeToString(new byte[16])))
                .hasMessageContaining("32 bytes");
        assertThatThrownBy(() -> new SecretBox("not base64!")).hasMessageContaining("base64");
    }
}

package dev.incidentplatform.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;
import com.standardwebhooks.exceptions.WebhookVerificationException;

/** Signatures as the Standard Webhooks reference library verifies them. */
class WebhookSignaturesTest {

    @Test
    void aSecretIsWhsecAndTheBase64OfThirtyTwoRandomBytes() {
        String secret = WebhookSignatures.newSecret();
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(Base64.getDecoder().decode(secret.substring(6))).hasSize(32);
        assertThat(WebhookSignatures.newSecret()).isNotEqualTo(secret);
    }

    @Test
    void theReferenceLibraryAcceptsTheSignatureAndRefusesAChangedBody() throws Exception {
        String secret = WebhookSignatures.newSecret();
        String body = "{\"text\":\"Storage — degraded ✓\"}";
        long now = Instant.now().getEpochSecond();
        String signature = WebhookSignatures.header("msg_1", now, body.getBytes(StandardCharsets.UTF_8), List.of(secret));

        assertThat(signature).startsWith("v1,").doesNotContain(" ");
        assertThat(signature).isEqualTo(new Webhook(secret).sign("msg_1", now, body));
        new Webhook(secret).verify(body, headers("msg_1", now, signature));
        assertThatThrownBy(() -> new Webhook(secret).verify(body + " ", headers("msg_1", now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
        assertThatThrownBy(() -> new Webhook(WebhookSignatures.newSecret()).verify(body, headers("msg_1", now, signature)))
                .isInstanceOf(WebhookVerificationException.class);
    }

    @Test
    void duringARotationEitherSecretVerifies() throws Exception {
        String previous = WebhookSignatures.newSecret();
        String current = WebhookSignatures.newSecret();
        String body = "{}";
        long now = Instant.now().getEpochSecond();
        String signature = WebhookSignatures.header("msg_2", now, body.getBytes(StandardCharsets.UTF_8), List.of(current, previous));

        assertThat(signature.split(" ")).hasSize(2);
        new Webhook(current).verify(body, headers("msg_2", now, signature));
        new Webhook(previous).verify(body, headers("msg_2", now, signature));
    }

    private static Map<String, List<String>> headers(String id, long timestamp, String signature) {
        return Map.of("webhook-id", List.of(id), "webhook-timestamp", List.of(Long.toString(timestamp)),
                "webhook-signature", List.of(signature));
    }
}

package dev.incidentplatform.notification.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.unsubscribe.UnsubscribeTokens.Refusal;

class UnsubscribeTokensTest {

    private static final byte[] KEY = "a-test-key-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);
    private static final byte[] OTHER_KEY = "another-key-of-at-least-thirty-two-bytes".getBytes(StandardCharsets.UTF_8);
    private final UnsubscribeTokens tokens = new UnsubscribeTokens("1", Map.of("1", KEY));

    @Test
    void aTokenWeIssuedNamesItsSubscriber() {
        UUID subscriber = UUID.randomUUID();
        UnsubscribeTokens.Verification verification = tokens.verify(tokens.issue(subscriber));
        assertThat(verification.valid()).isTrue();
        assertThat(verification.subscriberId()).isEqualTo(subscriber);
    }

    @Test
    void anAlteredSubscriberIdIsRefusedAsForged() {
        String token = tokens.issue(UUID.randomUUID());
        String signature = token.substring(token.indexOf('.'));
        String otherPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("1:" + UUID.randomUUID()).getBytes(StandardCharsets.US_ASCII));
        assertThat(tokens.verify(otherPayload + signature).refusal()).isEqualTo(Refusal.FORGED);
    }

    @Test
    void aFlippedSignatureCharacterIsRefusedAsForged() {
        String token = tokens.issue(UUID.randomUUID());
        char last = token.charAt(token.length() - 2);
        String altered = token.substring(0, token.length() - 2) + (last == 'A' ? 'B' : 'A') + token.charAt(token.length() - 1);
        assertThat(tokens.verify(altered).refusal()).isEqualTo(Refusal.FORGED);
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        String foreign = new UnsubscribeTokens("1", Map.of("1", OTHER_KEY)).issue(UUID.randomUUID());
        assertThat(tokens.verify(foreign).refusal()).isEqualTo(Refusal.FORGED);
        String unknownKeyId = new UnsubscribeTokens("9", Map.of("9", KEY)).issue(UUID.randomUUID());
        assertThat(tokens.verify(unknownKeyId).refusal()).isEqualTo(Refusal.FORGED);
    }

    @Test
    void linksSignedWithThePreviousKeyKeepWorkingAfterAKeyChange() {
        UUID subscriber = UUID.randomUUID();
        String old = tokens.issue(subscriber);
        UnsubscribeTokens rotated = new UnsubscribeTokens("2", Map.of("1", KEY, "2", OTHER_KEY));
        assertThat(rotated.verify(old).subscriberId()).isEqualTo(subscriber);
        assertThat(rotated.verify(rotated.issue(subscriber)).subscriberId()).isEqualTo(subscriber);
    }

    @Test
    void garbageIsMalformed() {
        for (String garbage : new String[] { null, "", "abc", "a.b.c", ".sig", "payload.", "!!!.???",
                Base64.getUrlEncoder().encodeToString("no-colon".getBytes(StandardCharsets.US_ASCII)) + ".AAAA",
                Base64.getUrlEncoder().encodeToString("1:not-a-uuid".getBytes(StandardCharsets.US_ASCII)) + ".AAAA" }) {
            assertThat(tokens.verify(garbage).refusal()).as(String.valueOf(garbage)).isEqualTo(Refusal.MALFORMED);
        }
    }

    @Test
    void shortKeysAreRefusedAtStartup() {
        assertThatThrownBy(() -> new UnsubscribeTokens("1", Map.of("1", "short".getBytes(StandardCharsets.UTF_8))))
                .hasMessageContaining("at least 32 bytes");
    }

    @Test
    void aTokenIsAcceptedInExactlyOneEncoding() {
        UUID subscriber = UUID.randomUUID();
        String token = tokens.issue(subscriber);
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        Base64.Decoder decoder = Base64.getUrlDecoder();
        // The same bytes, padded; in the standard alphabet with padding; with non-zero unused bits in the last character.
        String padded = payload + "=." + signature + "=";
        String standard = Base64.getEncoder().encodeToString(decoder.decode(payload)) + "."
                + Base64.getEncoder().encodeToString(decoder.decode(signature));
        String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        char last = signature.charAt(signature.length() - 1);
        String nonCanonical = payload + "." + signature.substring(0, signature.length() - 1) + alphabet.charAt(alphabet.indexOf(last) ^ 1);
        assertThat(Base64.getUrlDecoder().decode(nonCanonical.substring(nonCanonical.indexOf('.') + 1))).isEqualTo(decoder.decode(signature));
        for (String other : new String[] { padded, standard, nonCanonical, token + "\n", " " + token }) {
            assertThat(tokens.verify(other).refusal()).as(other).isEqualTo(Refusal.MALFORMED);
        }
        assertThat(tokens.verify(token).subscriberId()).isEqualTo(subscriber);
    }

    @Test
    void aSignedPayloadWithAnUpperCaseUuidIsNotASecondSpelling() throws Exception {
        String payload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("1:" + UUID.randomUUID().toString().toUpperCase()).getBytes(StandardCharsets.US_ASCII));
        javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
        mac.init(new javax.crypto.spec.SecretKeySpec(KEY, "HmacSHA256"));
        String signed = payload + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII)));
        assertThat(tokens.verify(signed).refusal()).isEqualTo(Refusal.MALFORMED);
    }
}

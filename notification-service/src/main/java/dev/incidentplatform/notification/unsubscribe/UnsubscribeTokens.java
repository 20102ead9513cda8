package dev.incidentplatform.notification.unsubscribe;

import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Unsubscribe tokens: {@code base64url(keyId ":" subscriberId) "." base64url(HMAC-SHA256(key, first part))}, base64url
 * being RFC 4648 §5 without padding, and the only encoding accepted. The key
 * id lets a new key replace an old one while links already mailed keep working (configure both). Signatures are
 * compared in constant time.
 */
public final class UnsubscribeTokens {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int MIN_KEY_BYTES = 32;
    private static final Pattern KEY_ID = Pattern.compile("^[A-Za-z0-9_-]{1,16}$");
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final int MAX_TOKEN_LENGTH = 200;
    /** Two base64url parts without padding, joined by one dot. */
    private static final Pattern TOKEN_SYNTAX = Pattern.compile("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");
    private static final Pattern CANONICAL_UUID = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    /** Why a token was refused: MALFORMED is not a token at all (400), FORGED has a wrong signature or key (403). */
    public enum Refusal {
        MALFORMED, FORGED
    }

    /** Either the subscriber the token names, or why it was refused. */
    public record Verification(UUID subscriberId, Refusal refusal) {

        public boolean valid() {
            return subscriberId != null;
        }
    }

    private final String currentKeyId;
    private final Map<String, byte[]> keysById;

    /** @param keysById every key that may have signed a mailed link; {@code currentKeyId} signs new ones */
    public UnsubscribeTokens(String currentKeyId, Map<String, byte[]> keysById) {
        keysById.forEach((id, key) -> {
            if (!KEY_ID.matcher(id).matches()) {
                throw new IllegalArgumentException("Unsubscribe key id '" + id + "' must be 1-16 of [A-Za-z0-9_-]");
            }
            if (key.length < MIN_KEY_BYTES) {
                throw new IllegalArgumentException("Unsubscribe key '" + id + "' must be at least " + MIN_KEY_BYTES + " bytes");
            }
        });
        if (!keysById.containsKey(currentKeyId)) {
            throw new IllegalArgumentException("No unsubscribe key with id '" + currentKeyId + "'");
        }
        this.currentKeyId = currentKeyId;
        this.keysById = Map.copyOf(keysById);
    }

    public String issue(UUID subscriberId) {
        Objects.requireNonNull(subscriberId);
        String payload = ENCODER.encodeToString((currentKeyId + ":" + subscriberId).getBytes(StandardCharsets.US_ASCII));
        return payload + "." + ENCODER.encodeToString(sign(keysById.get(currentKeyId), payload));
    }

    /**
     * Accepts exactly the spelling {@link #issue} writes: two parts of base64url without padding ({@code A-Z a-z 0-9 - _},
     * no '=', no '+' or '/'), each the canonical encoding of its bytes, and a payload of a key id and a UUID in lower
     * case. Any other spelling of the same bytes is MALFORMED, not a second accepted form.
     */
    public Verification verify(String token) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH || !TOKEN_SYNTAX.matcher(token).matches()) {
            return refused(Refusal.MALFORMED);
        }
        int dot = token.indexOf('.');
        String payload = token.substring(0, dot);
        String signaturePart = token.substring(dot + 1);
        byte[] signature;
        byte[] payloadBytes;
        try {
            signature = DECODER.decode(signaturePart);
            payloadBytes = DECODER.decode(payload);
        } catch (IllegalArgumentException e) {
            return refused(Refusal.MALFORMED);
        }
        // Base64 leaves unused low bits in the last character; only zeros there is the one canonical spelling.
        if (!ENCODER.encodeToString(signature).equals(signaturePart) || !ENCODER.encodeToString(payloadBytes).equals(payload)) {
            return refused(Refusal.MALFORMED);
        }
        String[] fields = new String(payloadBytes, StandardCharsets.US_ASCII).split(":", -1);
        if (fields.length != 2 || !CANONICAL_UUID.matcher(fields[1]).matches()) {
            return refused(Refusal.MALFORMED);
        }
        UUID subscriberId = UUID.fromString(fields[1]);
        byte[] key = keysById.get(fields[0]);
        if (key == null || !MessageDigest.isEqual(sign(key, payload), signature)) {
            return refused(Refusal.FORGED);
        }
        return new Verification(subscriberId, null);
    }

    private static Verification refused(Refusal refusal) {
        return new Verification(null, refusal);
    }

    private static byte[] sign(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(key, ALGORITHM));
            return mac.doFinal(payload.getBytes(StandardCharsets.US_ASCII));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is unavailable", e);
        }
    }
}

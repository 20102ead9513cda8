package dev.incidentplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import io.smallrye.jwt.build.Jwt;

/**
 * Bearer tokens for tests, signed with a key pair made for this JVM; {@link JwtResource} hands the public key to the
 * service under test. Nothing here is shipped: the local run makes its own keys.
 */
public final class TestTokens {

    public static final String ISSUER = "https://incident-platform.test/issuer";
    /** The audience the services under test expect ({@code mp.jwt.verify.audiences}). */
    public static final String AUDIENCE = "incident-platform-test";

    private static final KeyPair KEYS = generate();
    private static final KeyPair STRANGER = generate();

    private TestTokens() {
    }

    /** A valid token for {@code subject} carrying the given roles (the MicroProfile JWT {@code groups} claim). */
    public static String forRoles(String subject, String... roles) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .upn(subject)
                .subject(subject)
                .groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1))
                .sign(KEYS.getPrivate());
    }

    /** Valid in every other way, but meant for another audience. */
    public static String forAnotherAudience(String subject, String... roles) {
        return Jwt.issuer(ISSUER)
                .audience("some-other-system")
                .upn(subject)
                .groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1))
                .sign(KEYS.getPrivate());
    }

    /** Issued an hour ahead of the clock (and valid for an hour after that). */
    public static String issuedInTheFuture(String subject, String... roles) {
        Instant future = Instant.now().plus(Duration.ofHours(1));
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .upn(subject)
                .groups(Set.of(roles))
                .issuedAt(future)
                .expiresAt(future.plus(Duration.ofHours(1)))
                .sign(KEYS.getPrivate());
    }

    /** Valid now, but with a lifetime (a year) far over any service's maximum. */
    public static String livingTooLong(String subject, String... roles) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .upn(subject)
                .groups(Set.of(roles))
                .expiresIn(Duration.ofDays(365))
                .sign(KEYS.getPrivate());
    }

    public static String expired(String subject, String... roles) {
        Instant past = Instant.now().minus(Duration.ofHours(2));
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .upn(subject)
                .groups(Set.of(roles))
                .issuedAt(past)
                .expiresAt(past.plus(Duration.ofMinutes(5)))
                .sign(KEYS.getPrivate());
    }

    /** Well-formed, but signed by a key the service does not trust. */
    public static String signedByStranger(String subject, String... roles) {
        return Jwt.issuer(ISSUER)
                .audience(AUDIENCE)
                .upn(subject)
                .groups(Set.of(roles))
                .expiresIn(Duration.ofHours(1))
                .sign(STRANGER.getPrivate());
    }

    /** The public key as PEM, as {@code mp.jwt.verify.publickey} takes it. */
    public static String publicKeyPem() {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(KEYS.getPublic().getEncoded());
        return "-----BEGIN PUBLIC KEY-----\n" + body + "\n-----END PUBLIC KEY-----";
    }

    /** The public key written to a file, for a service started as a separate process. */
    public static synchronized Path publicKeyFile() {
        Path file = Path.of("target", "test-jwt", "public-key.pem");
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, publicKeyPem());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file.toAbsolutePath();
    }

    private static KeyPair generate() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

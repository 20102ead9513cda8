package dev.incidentplatform.localrun;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;

import io.smallrye.jwt.auth.principal.DefaultJWTParser;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;

class TokenIssuerTest {

    private static final Instant NOW = Instant.parse("2026-11-26T08:00:00Z");

    @TempDir
    Path dir;

    @Test
    void everyRoleGetsATokenThatVerifiesWithTheWrittenPublicKey() throws Exception {
        Map<String, String> tokens = init(dir, Clock.fixed(NOW, ZoneOffset.UTC));

        assertThat(tokens).containsOnlyKeys(
                "INCIDENT_WRITER", "INCIDENT_READER", "SUBSCRIBER_ADMIN", "BILLING_AUDITOR", "BILLING_ADMIN");
        RSASSAVerifier verifier = new RSASSAVerifier(TokenIssuer.readPublicKey(dir.resolve("jwt/public-key.pem")));
        for (Map.Entry<String, String> role : TokenIssuer.ROLES.entrySet()) {
            SignedJWT jwt = SignedJWT.parse(tokens.get(role.getValue()));
            assertThat(jwt.verify(verifier)).as(role.getKey()).isTrue();
            assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
            var claims = jwt.getJWTClaimsSet();
            assertThat(claims.getIssuer()).isEqualTo("https://incident-platform.local");
            assertThat(claims.getSubject()).isEqualTo("local-" + role.getKey());
            assertThat(claims.getStringClaim("upn")).isEqualTo("local-" + role.getKey());
            assertThat(claims.getStringListClaim("groups")).containsExactly(role.getKey());
            assertThat(claims.getIssueTime()).isEqualTo(Date.from(NOW));
            assertThat(claims.getExpirationTime()).isEqualTo(Date.from(Instant.parse("2026-11-27T08:00:00Z")));
            assertThat(claims.getAudience()).containsExactly(TokenIssuer.AUDIENCE);
        }
    }

    @Test
    void theServicesVerifierAcceptsTheTokens() throws Exception {
        // Configured as the services are: public key, issuer, audience and the longest lifetime they accept.
        Map<String, String> tokens = init(dir, Clock.systemUTC());
        JWTAuthContextInfo verification = new JWTAuthContextInfo(dir.resolve("jwt/public-key.pem").toUri().toString(),
                "https://incident-platform.local");
        verification.setExpectedAudience(Set.of("incident-platform"));
        verification.setMaxTimeToLiveSecs(86_400L);
        DefaultJWTParser parser = new DefaultJWTParser(verification);

        JsonWebToken writer = parser.parse(tokens.get("INCIDENT_WRITER"));

        assertThat(writer.getName()).isEqualTo("local-incident-writer");
        assertThat(writer.getGroups()).containsExactly("incident-writer");
    }

    @Test
    void eachStartMakesANewKeySoOldTokensStopWorking() throws Exception {
        Map<String, String> first = init(dir, Clock.systemUTC());
        String firstKey = Files.readString(dir.resolve("jwt/public-key.pem"));

        init(dir, Clock.systemUTC());

        assertThat(Files.readString(dir.resolve("jwt/public-key.pem"))).isNotEqualTo(firstKey);
        RSASSAVerifier verifier = new RSASSAVerifier(TokenIssuer.readPublicKey(dir.resolve("jwt/public-key.pem")));
        assertThat(SignedJWT.parse(first.get("INCIDENT_READER")).verify(verifier)).isFalse();
    }

    @Test
    void secretsAreReadableByTheOwnerOnly() throws Exception {
        init(dir, Clock.systemUTC());

        Set<PosixFilePermission> ownerOnly = Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
        assertThat(Files.getPosixFilePermissions(dir.resolve("jwt/private-key.pem"))).isEqualTo(ownerOnly);
        assertThat(Files.getPosixFilePermissions(dir.resolve("tokens.env"))).isEqualTo(ownerOnly);
    }

    @Test
    void mintSignsMoreTokensWithTheKeyOfTheRunningSystem() throws Exception {
        init(dir, Clock.systemUTC());
        TokenIssuer issuer = new TokenIssuer(Clock.systemUTC());

        String token = issuer.mint(TokenIssuer.readKey(dir.resolve("jwt")), "alice", List.of("incident-writer", "billing-admin"));

        RSASSAVerifier verifier = new RSASSAVerifier(TokenIssuer.readPublicKey(dir.resolve("jwt/public-key.pem")));
        SignedJWT jwt = SignedJWT.parse(token);
        assertThat(jwt.verify(verifier)).isTrue();
        assertThat(jwt.getJWTClaimsSet().getStringListClaim("groups")).containsExactly("incident-writer", "billing-admin");
    }

    /** Runs {@code init} and reads tokens.env back the way a shell's {@code source} would. */
    private static Map<String, String> init(Path dir, Clock clock) throws Exception {
        new TokenIssuer(clock).init(dir.resolve("jwt"), dir.resolve("tokens.env"));
        Map<String, String> tokens = new LinkedHashMap<>();
        for (String line : Files.readAllLines(dir.resolve("tokens.env"))) {
            if (!line.startsWith("#") && !line.isBlank()) {
                assertThat(line).matches("[A-Z_]+=[A-Za-z0-9_.-]+");
                tokens.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return tokens;
    }
}

package dev.incidentplatform.localrun;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * The local run's stand-in for an identity provider: a signing key the services trust (they read
 * {@code public-key.pem} through {@code mp.jwt.verify.publickey.location}) and one ready bearer token for each of the
 * APIs' five roles, so that a developer can call every API right after {@code deploy/local/run}.
 *
 * <pre>
 * TokenIssuer init &lt;jwt-dir&gt; &lt;tokens.env&gt;      a fresh key pair and one token per role
 * TokenIssuer mint &lt;jwt-dir&gt; &lt;subject&gt; &lt;role&gt;...  one more token, signed with the existing key
 * </pre>
 *
 * A fresh key on every start means a token leaked from an earlier run stops working at the next one.
 */
public final class TokenIssuer {

    /** The issuer the services expect ({@code mp.jwt.verify.issuer}). */
    public static final String ISSUER = "https://incident-platform.local";

    /**
     * A working day and more, and no longer than the services accept ({@code smallrye.jwt.time-to-live}, a day):
     * every start mints new ones, {@code mint} more on the way.
     */
    public static final Duration LIFETIME = Duration.ofDays(1);
    /** The audience the services expect ({@code mp.jwt.verify.audiences}). */
    public static final String AUDIENCE = "incident-platform";

    /** Each role the services check (see each service's README) and the variable of {@code tokens.env} that holds its token. */
    public static final Map<String, String> ROLES = roles();

    static final String PRIVATE_KEY_FILE = "private-key.pem";
    static final String PUBLIC_KEY_FILE = "public-key.pem";

    private final Clock clock;

    TokenIssuer(Clock clock) {
        this.clock = clock;
    }

    public static void main(String[] args) throws Exception {
        TokenIssuer issuer = new TokenIssuer(Clock.systemUTC());
        if (args.length == 3 && args[0].equals("init")) {
            issuer.init(Path.of(args[1]), Path.of(args[2]));
        } else if (args.length >= 4 && args[0].equals("mint")) {
            RSAKey key = readKey(Path.of(args[1]));
            System.out.println(issuer.mint(key, args[2], List.of(args).subList(3, args.length)));
        } else {
            System.err.println("usage: TokenIssuer init <jwt-dir> <tokens.env>");
            System.err.println("       TokenIssuer mint <jwt-dir> <subject> <role>...");
            System.exit(2);
        }
    }

    /** Writes a new key pair to {@code jwtDir} and one token per role to {@code tokensFile}. */
    void init(Path jwtDir, Path tokensFile) throws IOException, JOSEException {
        // The key id is the key's thumbprint: a token names the key that signed it, which tells a stale token
        // (from an earlier run) apart from a forged one when reading a service's 401.
        RSAKey key = new RSAKeyGenerator(2048).keyIDFromThumbprint(true).generate();
        Files.createDirectories(jwtDir);
        writeSecret(jwtDir.resolve(PRIVATE_KEY_FILE), pem("PRIVATE KEY", key.toRSAPrivateKey().getEncoded()));
        writeAtomically(jwtDir.resolve(PUBLIC_KEY_FILE), pem("PUBLIC KEY", key.toRSAPublicKey().getEncoded()));

        Instant now = clock.instant();
        List<String> lines = new ArrayList<>();
        lines.add("# Bearer tokens for the local run, one per role; they expire " + now.plus(LIFETIME) + ".");
        lines.add("# Made by deploy/local/run with a key made at the same start (" + jwtDir.resolve(PUBLIC_KEY_FILE)
                + "): tokens of an earlier run no longer verify.");
        lines.add("# Use: source .local/tokens.env; curl -H \"Authorization: Bearer $INCIDENT_READER\" ...");
        for (Map.Entry<String, String> role : ROLES.entrySet()) {
            lines.add(role.getValue() + "=" + mint(key, "local-" + role.getKey(), List.of(role.getKey())));
        }
        Files.createDirectories(tokensFile.toAbsolutePath().getParent());
        writeSecret(tokensFile, String.join("\n", lines) + "\n");
    }

    /** A MicroProfile JWT for {@code subject} in {@code roles}, signed RS256 with {@code key}. */
    String mint(RSAKey key, String subject, List<String> roles) throws JOSEException {
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                // MicroProfile JWT takes the caller's name from upn, and the roles from groups.
                .claim("upn", subject)
                .claim("groups", roles)
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(LIFETIME)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256)
                .type(JOSEObjectType.JWT)
                .keyID(key.getKeyID())
                .build();
        SignedJWT jwt = new SignedJWT(header, claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    /** The key pair {@link #init} wrote, to mint more tokens that the running services accept. */
    static RSAKey readKey(Path jwtDir) throws IOException, GeneralSecurityException, JOSEException {
        RSAPrivateKey privateKey = (RSAPrivateKey) KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(unpem(Files.readString(jwtDir.resolve(PRIVATE_KEY_FILE)))));
        RSAPublicKey publicKey = readPublicKey(jwtDir.resolve(PUBLIC_KEY_FILE));
        return new RSAKey.Builder(publicKey).privateKey(privateKey).keyIDFromThumbprint().build();
    }

    /** The public key as the services read it: PEM, X.509 SubjectPublicKeyInfo. */
    static RSAPublicKey readPublicKey(Path file) throws IOException, GeneralSecurityException {
        return (RSAPublicKey) KeyFactory.getInstance("RSA")
                .generatePublic(new X509EncodedKeySpec(unpem(Files.readString(file))));
    }

    private static String pem(String type, byte[] der) {
        String body = Base64.getMimeEncoder(64, new byte[] { '\n' }).encodeToString(der);
        return "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n";
    }

    static byte[] unpem(String pem) {
        return Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
    }

    /** Owner-only: anyone who can read the private key or a token can act as every role. */
    private static void writeSecret(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        try {
            Files.createFile(temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(temp);
        }
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** A service starting at the same moment must never read a half-written key. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(temp, content, StandardCharsets.US_ASCII);
        Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Map<String, String> roles() {
        Map<String, String> roles = new LinkedHashMap<>();
        roles.put("incident-writer", "INCIDENT_WRITER");
        roles.put("incident-reader", "INCIDENT_READER");
        roles.put("subscriber-admin", "SUBSCRIBER_ADMIN");
        roles.put("billing-auditor", "BILLING_AUDITOR");
        roles.put("billing-admin", "BILLING_ADMIN");
        return Collections.unmodifiableMap(roles);
    }
}

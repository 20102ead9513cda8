package dev.incidentplatform.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** deploy/compose/prepare, run for real into a temporary directory, with the local run's tools the reactor built. */
class PrepareTest {

    @Test
    void prepareMakesTheKeysTokensAndSecretsComposeNeedsAndKeepsTheSecretsOnASecondRun(@TempDir Path dir) throws Exception {
        run(dir);
        Path publicKey = dir.resolve(".secrets/jwt/public-key.pem");
        assertThat(Files.readString(publicKey)).startsWith("-----BEGIN PUBLIC KEY-----");
        // The containers (uid 10001) read the public key; the private key stays the owner's.
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(publicKey))).isEqualTo("rw-r--r--");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".secrets/jwt/private-key.pem"))))
                .isEqualTo("rw-------");
        Properties tokens = properties(dir.resolve(".secrets/tokens.env"));
        assertThat(tokens.stringPropertyNames())
                .contains("INCIDENT_WRITER", "INCIDENT_READER", "SUBSCRIBER_ADMIN", "BILLING_AUDITOR", "BILLING_ADMIN");
        assertThat(tokens.getProperty("INCIDENT_WRITER")).matches("[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+");

        Properties env = properties(dir.resolve(".env"));
        assertThat(env.stringPropertyNames()).containsAll(interpolated());
        assertThat(Base64.getDecoder().decode(env.getProperty("UNSUBSCRIBE_KEY"))).hasSizeGreaterThanOrEqualTo(32);
        assertThat(Base64.getDecoder().decode(env.getProperty("WEBHOOK_ENCRYPTION_KEY"))).hasSize(32);
        assertThat(env.getProperty("INCIDENT_DB_PASSWORD")).matches("[A-Za-z0-9]{20,}").isNotEqualTo(env.getProperty("NOTIFICATION_DB_PASSWORD"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(".env")))).isEqualTo("rw-------");

        String firstEnv = Files.readString(dir.resolve(".env"));
        String firstKey = Files.readString(publicKey);
        run(dir);
        assertThat(Files.readString(dir.resolve(".env"))).isEqualTo(firstEnv);
        assertThat(Files.readString(publicKey)).isNotEqualTo(firstKey);
    }

    private static void run(Path dir) throws IOException, InterruptedException {
        ProcessBuilder prepare = new ProcessBuilder("bash", Repository.path("deploy/compose/prepare").toString(), dir.toString())
                .redirectErrorStream(true);
        prepare.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process process = prepare.start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        // The tools jar comes from the reactor's build: prepare must not have had to build it.
        assertThat(output).doesNotContain("building the local-run tools");
    }

    /** The variables compose.yaml refuses to start without (${NAME:?…}). */
    private static Set<String> interpolated() throws IOException {
        Set<String> names = new TreeSet<>();
        Matcher interpolation = Pattern.compile("\\$\\{([A-Z0-9_]+):\\?")
                .matcher(Files.readString(Repository.path("deploy/compose/compose.yaml")));
        while (interpolation.find()) {
            names.add(interpolation.group(1));
        }
        assertThat(names).isNotEmpty();
        return names;
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        properties.load(new StringReader(Files.readString(file)));
        return properties;
    }
}

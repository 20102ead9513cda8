package dev.incidentplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

import org.hamcrest.Matchers;

import io.restassured.RestAssured;
import io.restassured.response.Response;

/**
 * A packaged service ({@code target/quarkus-app}) run as a separate JVM, for tests that must kill it mid-way and
 * start it again: what a crash does to durable work cannot be tested inside the test's own JVM.
 */
public final class ServiceProcess implements AutoCloseable {

    /** Generous: a packaged service starts in seconds, but a loaded 2-core machine can take minutes. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(180);

    private final String name;
    private final Path jar;
    private final Map<String, String> config;
    private final Map<String, String> environment = new LinkedHashMap<>();
    private final int httpPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Process process;
    private int starts;

    private ServiceProcess(String name, Path jar, Map<String, String> config) {
        this.name = name;
        this.jar = jar;
        this.config = config;
        this.httpPort = freePort();
    }

    /** A service from this module's build, configured with {@code config} (as system properties). */
    public static ServiceProcess of(String name, Map<String, String> config) {
        return of(name, Path.of("target", "quarkus-app", "quarkus-run.jar"), config);
    }

    /** A service packaged at {@code jar} (a {@code quarkus-run.jar}), e.g. another module's build. */
    public static ServiceProcess of(String name, Path jar, Map<String, String> config) {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar.toAbsolutePath() + " is missing: package the service before its *IT tests");
        }
        return new ServiceProcess(name, jar, new LinkedHashMap<>(config));
    }

    /**
     * Configuration that points a packaged service at this JVM's broker (creating {@code topics}) and a fresh database,
     * and makes it trust {@link TestTokens}.
     */
    public static Map<String, String> infrastructureConfig(String databasePrefix, Map<String, Integer> topics) {
        KafkaBroker kafka = TestInfrastructure.kafka();
        kafka.createTopics(topics);
        Map<String, String> config = databaseConfig(databasePrefix);
        config.put("kafka.bootstrap.servers", kafka.bootstrapServers());
        return config;
    }

    /** A fresh database and the test tokens' key, for a service whose broker the test configures itself. */
    public static Map<String, String> databaseConfig(String databasePrefix) {
        PostgresServer postgres = TestInfrastructure.postgres();
        Map<String, String> config = new LinkedHashMap<>();
        config.put("quarkus.datasource.jdbc.url", postgres.createDatabase(databasePrefix));
        config.put("quarkus.datasource.username", postgres.username());
        config.put("quarkus.datasource.password", postgres.password());
        config.put("mp.jwt.verify.publickey.location", TestTokens.publicKeyFile().toString());
        config.put("mp.jwt.verify.issuer", TestTokens.ISSUER);
        config.put("mp.jwt.verify.audiences", TestTokens.AUDIENCE);
        return config;
    }

    /** {@link #infrastructureConfig} plus this JVM's SMTP server, for a service that sends mail. */
    public static Map<String, String> infrastructureConfigWithMail(String databasePrefix, Map<String, Integer> topics) {
        Map<String, String> config = infrastructureConfig(databasePrefix, topics);
        MailServer mail = TestInfrastructure.mail();
        config.put("quarkus.mailer.host", mail.host());
        config.put("quarkus.mailer.port", Integer.toString(mail.smtpPort()));
        return config;
    }

    /**
     * Environment variables for the service's process, as an operator sets them (e.g. {@code KAFKA_SASL_JAAS_CONFIG},
     * which Quarkus maps to {@code kafka.sasl.jaas.config}); they apply from the next {@link #start()}.
     */
    public ServiceProcess withEnvironment(Map<String, String> variables) {
        environment.putAll(variables);
        return this;
    }

    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + httpPort);
    }

    public int httpPort() {
        return httpPort;
    }

    public Path logFile() {
        return Path.of("target", name + "-" + starts + ".log");
    }

    /** Starts the service and waits until {@code /q/health/ready} is UP. */
    public synchronized ServiceProcess start() {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is already running");
        }
        starts++;
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.add("-Xmx256m");
        command.add("-Dquarkus.http.port=" + httpPort);
        command.add("-Dquarkus.http.host=127.0.0.1");
        config.forEach((key, value) -> command.add("-D" + key + "=" + value));
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        try {
            ProcessBuilder builder = new ProcessBuilder(command)
                    .redirectErrorStream(true)
                    .redirectOutput(logFile().toFile());
            builder.environment().putAll(environment);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + name, e);
        }
        awaitReady();
        return this;
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed, as in a crash. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit();
        }
    }

    /** SIGTERM: a graceful stop. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitForExit();
        }
    }

    /** Waits until {@code /q/health/ready} answers {@code status} (200 ready, 503 not ready). */
    public void awaitReadiness(int status, Duration timeout) {
        awaitHealth("/q/health/ready", status, timeout);
    }

    /** Waits until a health endpoint answers {@code status}. */
    public void awaitHealth(String path, int status, Duration timeout) {
        HttpRequest ready = HttpRequest.newBuilder(baseUri().resolve(path)).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        int last = -1;
        while (System.nanoTime() < deadline) {
            try {
                last = http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (last == status) {
                    return;
                }
            } catch (IOException e) {
                last = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(250));
        }
        throw new AssertionError(name + ": " + path + " answered " + last + ", not " + status + ", for " + timeout);
    }

    /**
     * What every service promises about its broker: readiness (database included) stays UP while the shared test broker
     * is stopped, since the REST API keeps working; the health group {@code broker} is 503 meanwhile and UP again once
     * it is back. The broker is restarted even when this fails.
     */
    public void assertReadinessOutlivesTheBroker() {
        Duration patience = Duration.ofSeconds(60);
        awaitReadiness(200, patience);
        RestAssured.given().baseUri(baseUri().toString()).when().get("/q/health/ready").then()
                .body("checks.name", Matchers.hasItem("Database connections health check"));
        awaitHealth("/q/health/group/broker", 200, patience);
        KafkaBroker kafka = TestInfrastructure.kafka();
        kafka.stop();
        try {
            awaitHealth("/q/health/group/broker", 503, patience);
            awaitReadiness(200, Duration.ofSeconds(5));
        } finally {
            kafka.start();
        }
        awaitHealth("/q/health/group/broker", 200, patience);
        awaitReadiness(200, patience);
    }

    /**
     * What every service promises while its database is unreachable (cut by {@code proxy}, which its datasource goes
     * through): a command is refused with 503 problem+json and Retry-After, and is not applied; once the database is back
     * the service takes commands again by itself, within seconds. {@code command} sends one command and returns its
     * status; {@code rows} counts what commands store.
     */
    public void assertDatabaseOutageRefusesCommands(TcpProxy proxy, Supplier<Response> command,
            LongSupplier rows) {
        awaitReadiness(200, Duration.ofSeconds(60));
        long before = rows.getAsLong();
        proxy.cut();
        try {
            Response refused = command.get();
            assertThat(refused.statusCode()).as(refused.asString()).isEqualTo(503);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.header("Retry-After")).matches("[0-9]+");
            assertThat(refused.asString()).doesNotContain("Exception", "java.", "SQL");
        } finally {
            proxy.restore();
        }
        assertThat(rows.getAsLong()).as("rows after the refused command").isEqualTo(before);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        int status = -1;
        while (System.nanoTime() < deadline) {
            status = command.get().statusCode();
            if (status / 100 == 2) {
                break;
            }
            pause(Duration.ofMillis(200));
        }
        assertThat(status).as("a command once the database is back").isBetween(200, 299);
        assertThat(rows.getAsLong()).isEqualTo(before + 1);
    }

    /** The operating-system process id, e.g. to sample its memory. */
    public synchronized long pid() {
        if (process == null) {
            throw new IllegalStateException(name + " was never started");
        }
        return process.pid();
    }

    public synchronized boolean alive() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    private void awaitReady() {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        HttpRequest ready = HttpRequest.newBuilder(baseUri().resolve("/q/health/ready")).timeout(Duration.ofSeconds(2)).build();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue() + "; log:\n" + logTail());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // Not listening yet.
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            pause(Duration.ofMillis(200));
        }
        throw new IllegalStateException(name + " was not ready within " + READY_TIMEOUT + "; log:\n" + logTail());
    }

    private static void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private void waitForExit() {
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(logFile());
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

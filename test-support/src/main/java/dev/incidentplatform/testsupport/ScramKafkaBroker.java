package dev.incidentplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.Uuid;

/**
 * A Kafka 4.1.2 broker that admits only authenticated clients: SASL_PLAINTEXT with SCRAM-SHA-512, one KRaft node
 * (broker and controller) in its own process, started from the jars on this JVM's class path. Its one user is
 * created when the storage is formatted, as an operator of a secured cluster (Strimzi's {@code KafkaUser}, MSK,
 * Confluent Cloud) would hand out credentials.
 *
 * <p>A process rather than the in-JVM test kit: it is configured exactly as a production broker is, by a
 * {@code server.properties}, and nothing in the test JVM's own Kafka clients leaks into it.
 */
public final class ScramKafkaBroker implements KafkaBroker {

    public static final String MECHANISM = "SCRAM-SHA-512";
    public static final String PROTOCOL = "SASL_PLAINTEXT";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Path directory;
    private final String username;
    private final String password;
    private final int port;
    private final int controllerPort;
    private Process process;

    private ScramKafkaBroker(Path directory, String username, String password) {
        this.directory = directory;
        this.username = username;
        this.password = password;
        this.port = freePort();
        this.controllerPort = freePort();
    }

    /** Formats a fresh storage under {@code directory} with one SCRAM user and starts the broker. */
    public static ScramKafkaBroker launch(Path directory, String username, String password) {
        ScramKafkaBroker broker = new ScramKafkaBroker(directory, username, password);
        broker.format();
        broker.start();
        return broker;
    }

    public String username() {
        return username;
    }

    public String password() {
        return password;
    }

    @Override
    public String bootstrapServers() {
        return "127.0.0.1:" + port;
    }

    /** The client settings of a user of this broker, as {@code kafka.*} settings without the prefix. */
    public Map<String, String> clientSettings() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("bootstrap.servers", bootstrapServers());
        settings.put("security.protocol", PROTOCOL);
        settings.put("sasl.mechanism", MECHANISM);
        settings.put("sasl.jaas.config", jaasConfig(username, password));
        return settings;
    }

    public static String jaasConfig(String username, String password) {
        return "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + username
                + "\" password=\"" + password + "\";";
    }

    @Override
    public Properties clientProperties() {
        Properties properties = new Properties();
        properties.putAll(clientSettings());
        return properties;
    }

    @Override
    public synchronized void start() {
        if (running()) {
            return;
        }
        Path log = directory.resolve("broker.log");
        process = java(log, "kafka.Kafka", serverProperties().toString());
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        // The broker opens its client port only once it is ready to serve.
        while (!accepting()) {
            if (!process.isAlive()) {
                throw new IllegalStateException("The SASL broker exited with " + process.exitValue() + "; see " + log);
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("The SASL broker was not ready within " + START_TIMEOUT + "; see " + log);
            }
            sleep(Duration.ofMillis(200));
        }
    }

    /** SIGTERM, so the next start does not have to recover its logs. */
    @Override
    public synchronized void stop() {
        if (process == null) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        process = null;
    }

    @Override
    public synchronized boolean running() {
        return process != null && process.isAlive();
    }

    @Override
    public void close() {
        stop();
    }

    private void format() {
        try {
            Files.createDirectories(directory);
            Files.writeString(serverProperties(), String.join("\n", List.of(
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.bootstrap.servers=127.0.0.1:" + controllerPort,
                    "listeners=SASL_PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=SASL_PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "listener.security.protocol.map=SASL_PLAINTEXT:SASL_PLAINTEXT,CONTROLLER:PLAINTEXT",
                    "inter.broker.listener.name=SASL_PLAINTEXT",
                    "sasl.enabled.mechanisms=" + MECHANISM,
                    "sasl.mechanism.inter.broker.protocol=" + MECHANISM,
                    "listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=" + jaasConfig(username, password),
                    "log.dirs=" + directory.resolve("data"),
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=6",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "auto.create.topics.enable=false",
                    "group.initial.rebalance.delay.ms=0",
                    "num.network.threads=2",
                    "num.io.threads=2")) + "\n");
            Path log = directory.resolve("format.log");
            Process format = java(log, "kafka.tools.StorageTool", "format", "--standalone",
                    "-t", Uuid.randomUuid().toString(),
                    "-c", serverProperties().toString(),
                    "--add-scram", MECHANISM + "=[name=" + username + ",password=" + password + "]");
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("Formatting the SASL broker's storage failed; see " + log);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private Path serverProperties() {
        return directory.resolve("server.properties");
    }

    private static Process java(Path log, String mainClass, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(List.of("-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(List.of(arguments));
        try {
            return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start " + mainClass, e);
        }
    }

    private boolean accepting() {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

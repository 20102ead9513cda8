package dev.incidentplatform.testsupport;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;

import org.jboss.logging.Logger;

/**
 * The real Kafka broker, PostgreSQL server and SMTP server of this test JVM, each started on first use and stopped
 * when the JVM exits. Quarkus tests reach them through the test resources of this package; tests that drive a
 * packaged service ({@link ServiceProcess}) use them directly.
 */
public final class TestInfrastructure {

    private static final Logger LOG = Logger.getLogger(TestInfrastructure.class);
    private static final Path WORK = Path.of("target", "test-infrastructure");
    private static final Deque<AutoCloseable> STARTED = new ArrayDeque<>();

    private static KafkaBroker kafka;
    private static PostgresServer postgres;
    private static MailServer mail;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(TestInfrastructure::stopAll, "test-infrastructure-stop"));
    }

    private TestInfrastructure() {
    }

    public static InfrastructureMode mode() {
        return InfrastructureMode.current();
    }

    public static synchronized KafkaBroker kafka() {
        if (kafka == null) {
            long start = System.nanoTime();
            kafka = started(mode() == InfrastructureMode.CONTAINERS
                    ? ContainerKafkaBroker.launch()
                    : EmbeddedKafkaBroker.launch(WORK.resolve("kafka-" + UUID.randomUUID())));
            LOG.infof("Kafka (%s) at %s in %d ms", mode(), kafka.bootstrapServers(), elapsedMillis(start));
        }
        return kafka;
    }

    public static synchronized PostgresServer postgres() {
        if (postgres == null) {
            long start = System.nanoTime();
            String external = setting(PostgresServer.EXTERNAL_URL_SETTING);
            if (external != null && !external.isBlank()) {
                postgres = new ExternalPostgresServer(external);
            } else {
                postgres = started(mode() == InfrastructureMode.CONTAINERS
                        ? ContainerPostgresServer.launch()
                        : EmbeddedPostgresServer.launch(WORK.resolve("postgres-" + UUID.randomUUID()), durable()));
            }
            LOG.infof("PostgreSQL (%s) ready in %d ms", postgresKind(), elapsedMillis(start));
        }
        return postgres;
    }

    public static synchronized MailServer mail() {
        if (mail == null) {
            long start = System.nanoTime();
            mail = started(mode() == InfrastructureMode.CONTAINERS ? ContainerMailServer.launch() : EmbeddedMailServer.launch());
            LOG.infof("SMTP (%s) at %s:%d in %d ms", mode(), mail.host(), mail.smtpPort(), elapsedMillis(start));
        }
        return mail;
    }

    /** "embedded", "container" or "external", for tests and logs that must say which server they used. */
    public static synchronized String postgresKind() {
        PostgresServer server = postgres();
        if (server instanceof ExternalPostgresServer) {
            return "external";
        }
        return server instanceof ContainerPostgresServer ? "container" : "embedded";
    }

    /** {@value #DURABLE_SETTING}=true keeps fsync and synchronous commit on, as benchmarks need. */
    public static final String DURABLE_SETTING = "TEST_POSTGRES_DURABLE";

    private static boolean durable() {
        return Boolean.parseBoolean(setting(DURABLE_SETTING));
    }

    static String setting(String name) {
        String property = System.getProperty(name);
        return property != null ? property : System.getenv(name);
    }

    private static <T extends AutoCloseable> T started(T resource) {
        STARTED.push(resource);
        return resource;
    }

    private static synchronized void stopAll() {
        while (!STARTED.isEmpty()) {
            AutoCloseable resource = STARTED.pop();
            try {
                resource.close();
            } catch (Exception e) {
                LOG.warnf(e, "Could not stop %s", resource);
            }
        }
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }
}

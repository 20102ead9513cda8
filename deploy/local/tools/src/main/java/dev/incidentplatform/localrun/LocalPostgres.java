package dev.incidentplatform.localrun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * PostgreSQL for the local run, from the binaries zonky ships on Maven Central, so that nothing but a JDK is
 * needed. Unlike the tests' throw-away servers it keeps its data directory: incidents, subscribers and credits
 * survive {@code deploy/local/run stop} and the next start.
 *
 * <pre>
 * LocalPostgres &lt;data-dir&gt; &lt;port&gt; &lt;ready-file&gt; &lt;database&gt;...
 * </pre>
 *
 * The process runs until SIGTERM, then stops the server cleanly (a fast shutdown: open sessions are ended, the
 * data is checkpointed) before it exits. {@code ready-file} exists exactly while the server accepts connections
 * and the databases exist: the script waits for it rather than guessing from the port.
 *
 * <p>Started as root, zonky runs initdb and postgres in a new user namespace ({@code unshare -U}), where they
 * appear as {@code nobody} and PostgreSQL's refusal to run as root does not apply. The files they write still
 * belong to root outside that namespace and appear as owned by {@code nobody} inside it, so the ownership check
 * PostgreSQL makes on its data directory passes again at every later start.
 */
public final class LocalPostgres implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);

    /** zonky waits 10 s by default; recovery after a crash (a kill -9, a reboot) may take longer. */
    private static final Duration STARTUP_WAIT = Duration.ofSeconds(60);
    private static final Duration SHUTDOWN_WAIT = Duration.ofSeconds(60);

    private final EmbeddedPostgres postgres;
    private final Path dataDirectory;

    private LocalPostgres(EmbeddedPostgres postgres, Path dataDirectory) {
        this.postgres = postgres;
        this.dataDirectory = dataDirectory;
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            System.err.println("usage: LocalPostgres <data-dir> <port> <ready-file> <database>...");
            System.exit(2);
        }
        Path dataDirectory = Path.of(args[0]).toAbsolutePath();
        int port = Integer.parseInt(args[1]);
        Path readyFile = Path.of(args[2]).toAbsolutePath();
        List<String> databases = List.of(args).subList(3, args.length);

        Files.deleteIfExists(readyFile);
        String binaries = System.getProperty("ot.epg.working-dir");
        if (binaries != null) {
            removeHalfUnpackedBinaries(Path.of(binaries));
        }
        LocalPostgres server = start(dataDirectory, port);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.deleteIfExists(readyFile);
            } catch (IOException e) {
                LOG.warn("could not delete {}: {}", readyFile, e.toString());
            }
            server.close();
        }, "local-postgres-stop"));

        List<String> created = server.createMissingDatabases(databases);
        Files.writeString(readyFile, server.jdbcUrl("postgres") + "\n");
        LOG.info("PostgreSQL ready at {} (data in {}); databases {}{}", server.jdbcUrl(""), dataDirectory, databases,
                created.isEmpty() ? " already existed" : ", created " + created);

        // Nothing more to do: the server is a separate process. Wait for SIGTERM, which runs the hook above.
        Thread.currentThread().join();
    }

    /** Starts the server on {@code port} (127.0.0.1 only), creating the data directory on first use. */
    public static LocalPostgres start(Path dataDirectory, int port) throws IOException {
        boolean fresh = !Files.exists(dataDirectory.resolve("PG_VERSION"));
        LOG.info("starting PostgreSQL on 127.0.0.1:{} with {} data directory {}", port, fresh ? "a new" : "the existing",
                dataDirectory);
        EmbeddedPostgres postgres = EmbeddedPostgres.builder()
                .setDataDirectory(dataDirectory)
                // The whole point: zonky's default wipes the data directory at every start and stop.
                .setCleanDataDirectory(false)
                .setPort(port)
                // Reachable from this machine only, like every other part of the local run.
                .setServerConfig("listen_addresses", "127.0.0.1")
                // zonky turns this off for speed in tests. Here a commit must survive a crash like on a real
                // server: the services publish an outbox row to Kafka once it is committed, and a commit the
                // database later forgets would leave an event in Kafka that the event store does not have.
                .setServerConfig("synchronous_commit", "on")
                .setPGStartupWait(STARTUP_WAIT)
                .start();
        return new LocalPostgres(postgres, dataDirectory);
    }

    /**
     * zonky unpacks the binaries into {@code PG-<digest>} and marks the directory complete with a {@code .exists}
     * file at the end. When an unpacking is cut short (out of memory, disk full, a kill), the next one fails on the
     * files already there and never recovers; unpacking again from scratch costs a second or two. Only this
     * launcher uses the local run's binaries directory, so nobody else can be unpacking there right now.
     */
    static void removeHalfUnpackedBinaries(Path workingDirectory) throws IOException {
        if (!Files.isDirectory(workingDirectory)) {
            return;
        }
        try (Stream<Path> entries = Files.list(workingDirectory)) {
            for (Path dir : entries.filter(p -> p.getFileName().toString().startsWith("PG-")).toList()) {
                if (Files.isDirectory(dir) && !Files.exists(dir.resolve(".exists"))) {
                    LOG.warn("removing {}: an earlier unpacking of the PostgreSQL binaries did not finish", dir);
                    try (Stream<Path> tree = Files.walk(dir)) {
                        for (Path each : tree.sorted(Comparator.reverseOrder()).toList()) {
                            Files.delete(each);
                        }
                    }
                }
            }
        }
    }

    public String jdbcUrl(String database) {
        return "jdbc:postgresql://127.0.0.1:" + postgres.getPort() + "/" + database;
    }

    /** Creates those of {@code names} that do not exist yet (see {@link Databases}); returns the ones it created. */
    public List<String> createMissingDatabases(List<String> names) throws SQLException {
        try (Connection connection = postgres.getPostgresDatabase().getConnection()) {
            return Databases.createMissing(connection, names);
        }
    }

    /**
     * Stops the server and returns once it is down. zonky's own shutdown hook may be the one stopping it (both run
     * at SIGTERM and only the first does the work), so this waits for PostgreSQL to remove its pid file: the
     * launcher must not exit, and the script must not report "stopped", while the server is still writing.
     */
    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path pidFile = dataDirectory.resolve("postmaster.pid");
        long deadline = System.nanoTime() + SHUTDOWN_WAIT.toNanos();
        while (Files.exists(pidFile) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        if (Files.exists(pidFile)) {
            LOG.warn("PostgreSQL has not stopped within {} s; {} still exists", SHUTDOWN_WAIT.toSeconds(), pidFile);
        } else {
            LOG.info("PostgreSQL stopped; data kept in {}", dataDirectory);
        }
    }
}

package dev.incidentplatform.localrun;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalPostgresTest {

    @TempDir
    Path dir;

    @Test
    void keepsItsDataAcrossARestart() throws Exception {
        Path data = dir.resolve("postgres");
        int port = freePort();
        try (LocalPostgres postgres = LocalPostgres.start(data, port)) {
            assertThat(postgres.createMissingDatabases(List.of("incident", "notification")))
                    .containsExactly("incident", "notification");
            execute(postgres.jdbcUrl("incident"), "CREATE TABLE kept (id int)", "INSERT INTO kept VALUES (42)");
        }
        assertThat(data.resolve("postmaster.pid")).doesNotExist();

        try (LocalPostgres postgres = LocalPostgres.start(data, port)) {
            assertThat(postgres.createMissingDatabases(List.of("incident", "notification", "compensation")))
                    .containsExactly("compensation");
            try (Connection connection = DriverManager.getConnection(postgres.jdbcUrl("incident"), "postgres", "");
                    Statement statement = connection.createStatement();
                    ResultSet rows = statement.executeQuery("SELECT id FROM kept")) {
                assertThat(rows.next()).isTrue();
                assertThat(rows.getInt(1)).isEqualTo(42);
            }
        }
    }

    @Test
    void theLauncherStopsTheServerOnSigterm() throws Exception {
        Path data = dir.resolve("postgres");
        Path ready = dir.resolve("postgres.ready");
        int port = freePort();
        Process launcher = new ProcessBuilder(
                ProcessHandle.current().info().command().orElse("java"),
                "-cp", System.getProperty("java.class.path"),
                LocalPostgres.class.getName(), data.toString(), Integer.toString(port), ready.toString(), "incident")
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("launcher.log").toFile())
                .start();
        try {
            Path log = dir.resolve("launcher.log");
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                    .failFast("the launcher exited before PostgreSQL was ready",
                            () -> assertThat(launcher.isAlive() || Files.exists(ready)).as(() -> read(log)).isTrue())
                    .untilAsserted(() -> assertThat(ready).as(() -> read(log)).exists());
            execute("jdbc:postgresql://127.0.0.1:" + port + "/incident", "SELECT 1");

            launcher.destroy(); // SIGTERM

            assertThat(launcher.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(data.resolve("postmaster.pid")).doesNotExist();
            assertThat(ready).doesNotExist();
            assertThatThrownBy(() -> execute("jdbc:postgresql://127.0.0.1:" + port + "/incident", "SELECT 1"))
                    .isInstanceOf(SQLException.class);
        } finally {
            launcher.destroyForcibly();
        }
    }

    @Test
    void removesBinariesWhoseUnpackingWasCutShort() throws Exception {
        Path complete = Files.createDirectories(dir.resolve("PG-complete"));
        Files.createFile(complete.resolve(".exists"));
        Path halfDone = Files.createDirectories(dir.resolve("PG-half/lib"));
        Files.createFile(halfDone.resolve("libicuuc.so"));

        LocalPostgres.removeHalfUnpackedBinaries(dir);

        assertThat(complete).exists();
        assertThat(dir.resolve("PG-half")).doesNotExist();
    }

    @Test
    void refusesNamesThatWouldNeedQuoting() {
        assertThatThrownBy(() -> Databases.createMissing(null, List.of("incident\"; DROP DATABASE x; --")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static void execute(String url, String... sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "postgres", "");
                Statement statement = connection.createStatement()) {
            for (String each : sql) {
                statement.execute(each);
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private static String read(Path log) {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}

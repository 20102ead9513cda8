package dev.incidentplatform.testsupport;

import org.testcontainers.postgresql.PostgreSQLContainer;

/** PostgreSQL 15 in a container, where a Docker engine is available. */
final class ContainerPostgresServer extends PostgresServer {

    static final String IMAGE = "postgres:15-alpine";

    private final PostgreSQLContainer container;

    private ContainerPostgresServer(PostgreSQLContainer container) {
        this.container = container;
    }

    static ContainerPostgresServer launch() {
        PostgreSQLContainer container = new PostgreSQLContainer(IMAGE)
                .withCommand("postgres", "-c", "fsync=off", "-c", "max_connections=200");
        container.start();
        return new ContainerPostgresServer(container);
    }

    @Override
    protected String adminJdbcUrl() {
        return databaseUrlOf(container.getJdbcUrl(), "postgres");
    }

    private static String databaseUrlOf(String jdbcUrl, String database) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + (query < 0 ? "" : jdbcUrl.substring(query));
    }

    @Override
    public String username() {
        return container.getUsername();
    }

    @Override
    public String password() {
        return container.getPassword();
    }

    @Override
    public void close() {
        container.stop();
    }
}

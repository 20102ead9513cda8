package dev.incidentplatform.testsupport;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;

/**
 * A real PostgreSQL server for tests. Each test JVM gets a database of its own on it, so that modules built in
 * parallel, or a developer's external server, never see each other's tables.
 */
public abstract class PostgresServer implements AutoCloseable {

    /** A JDBC URL (with {@code user}/{@code password} parameters if needed) of an existing server to use instead. */
    public static final String EXTERNAL_URL_SETTING = "TEST_POSTGRES_URL";

    protected abstract String adminJdbcUrl();

    public abstract String username();

    public abstract String password();

    /** Creates a fresh, empty database and returns its JDBC URL. */
    public String createDatabase(String prefix) {
        String name = (prefix + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12))
                .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl(), username(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE DATABASE " + name);
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create database " + name + " at " + adminJdbcUrl(), e);
        }
        return databaseUrl(name);
    }

    public void dropDatabase(String jdbcUrl) {
        String name = databaseName(jdbcUrl);
        try (Connection connection = DriverManager.getConnection(adminJdbcUrl(), username(), password());
                Statement statement = connection.createStatement()) {
            statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
        } catch (SQLException e) {
            throw new IllegalStateException("Could not drop database " + name, e);
        }
    }

    String databaseUrl(String database) {
        String admin = adminJdbcUrl();
        int query = admin.indexOf('?');
        String base = query < 0 ? admin : admin.substring(0, query);
        String parameters = query < 0 ? "" : admin.substring(query);
        return base.substring(0, base.lastIndexOf('/') + 1) + database + parameters;
    }

    static String databaseName(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
        return base.substring(base.lastIndexOf('/') + 1);
    }

    @Override
    public abstract void close();
}

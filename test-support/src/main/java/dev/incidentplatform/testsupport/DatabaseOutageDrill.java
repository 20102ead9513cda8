package dev.incidentplatform.testsupport;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A packaged service whose datasource goes through a {@link TcpProxy}, so that a test can take the database away from
 * it alone (see {@link ServiceProcess#assertDatabaseOutageRefusesCommands}).
 */
public final class DatabaseOutageDrill implements AutoCloseable {

    private final ServiceProcess service;
    private final TcpProxy proxy;
    private final String databaseUrl;

    private DatabaseOutageDrill(ServiceProcess service, TcpProxy proxy, String databaseUrl) {
        this.service = service;
        this.proxy = proxy;
        this.databaseUrl = databaseUrl;
    }

    /** Starts the packaged service {@code name} with {@code config}, its database behind a proxy. */
    public static DatabaseOutageDrill start(String name, Map<String, String> config) {
        Map<String, String> proxied = new LinkedHashMap<>(config);
        String databaseUrl = config.get("quarkus.datasource.jdbc.url");
        TcpProxy proxy = TcpProxy.forJdbcUrl(databaseUrl);
        proxied.put("quarkus.datasource.jdbc.url", proxy.jdbcUrl(databaseUrl));
        try {
            return new DatabaseOutageDrill(ServiceProcess.of(name, proxied).start(), proxy, databaseUrl);
        } catch (RuntimeException e) {
            proxy.close();
            throw e;
        }
    }

    /**
     * POSTs {@code body} (JSON, a fresh one per call) to {@code path} with a token of {@code role} while the database
     * is cut: 503 problem+json with Retry-After and no new row in {@code table}; then the same command succeeds again.
     */
    public void assertCommandRefused(String role, String path, Supplier<String> body, String table) {
        service.assertDatabaseOutageRefusesCommands(proxy, () -> given().baseUri(service.baseUri().toString())
                .auth().oauth2(TestTokens.forRoles("drill@ops.example", role)).contentType("application/json")
                .body(body.get()).when().post(path), () -> rows(table));
    }

    private long rows(String table) {
        PostgresServer postgres = TestInfrastructure.postgres();
        try (Connection connection = DriverManager.getConnection(databaseUrl, postgres.username(), postgres.password());
                ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM " + table)) {
            count.next();
            return count.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        service.close();
        proxy.close();
    }
}

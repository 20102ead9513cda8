package dev.incidentplatform.incident;

import static io.restassured.RestAssured.given;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TcpProxy;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;

/**
 * The packaged service with its database cut off (its datasource goes through a proxy the test cuts): creating
 * an incident is refused with 503 and Retry-After and stores nothing, and works again by itself once the database is back.
 */
class DatabaseOutageIT {

    private static ServiceProcess service;
    private static TcpProxy proxy;
    private static String databaseUrl;

    @BeforeAll
    static void start() {
        Map<String, String> config = ServiceProcess.infrastructureConfig("incident_outage_it", Map.of("incident-events", 6));
        databaseUrl = config.get("quarkus.datasource.jdbc.url");
        proxy = TcpProxy.forJdbcUrl(databaseUrl);
        config.put("quarkus.datasource.jdbc.url", proxy.jdbcUrl(databaseUrl));
        service = ServiceProcess.of("incident-service", config).start();
    }

    @AfterAll
    static void stop() {
        service.close();
        proxy.close();
    }

    @Test
    void aCommandWhileTheDatabaseIsUnreachableIsRefusedWith503AndNotApplied() {
        service.assertDatabaseOutageRefusesCommands(proxy, () -> given().baseUri(service.baseUri().toString())
                .auth().oauth2(TestTokens.forRoles("drill@ops.example", "incident-writer")).contentType("application/json")
                .body("{\"title\":\"Database outage drill\",\"severity\":\"SEV3\",\"message\":\"Checking.\",\"components\":[{\"service\":\"azure-vm\",\"regions\":[\"eu-west\"],\"status\":\"degraded_performance\"}]}").when().post("/api/incidents"), DatabaseOutageIT::rows);
    }

    private static long rows() {
        var postgres = TestInfrastructure.postgres();
        try (Connection connection = DriverManager.getConnection(databaseUrl, postgres.username(), postgres.password());
                ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM event")) {
            count.next();
            return count.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

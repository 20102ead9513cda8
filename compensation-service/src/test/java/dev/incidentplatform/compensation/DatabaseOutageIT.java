package dev.incidentplatform.compensation;

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
 * a contract is refused with 503 and Retry-After and stores nothing, and works again by itself once the database is back.
 */
class DatabaseOutageIT {

    private static ServiceProcess service;
    private static TcpProxy proxy;
    private static String databaseUrl;

    @BeforeAll
    static void start() {
        Map<String, String> config = ServiceProcess.infrastructureConfig("compensation_outage_it", Map.of("incident-events", 6, "credit-events", 6));
        databaseUrl = config.get("quarkus.datasource.jdbc.url");
        proxy = TcpProxy.forJdbcUrl(databaseUrl);
        config.put("quarkus.datasource.jdbc.url", proxy.jdbcUrl(databaseUrl));
        service = ServiceProcess.of("compensation-service", config).start();
    }

    @AfterAll
    static void stop() {
        service.close();
        proxy.close();
    }

    @Test
    void aCommandWhileTheDatabaseIsUnreachableIsRefusedWith503AndNotApplied() {
        service.assertDatabaseOutageRefusesCommands(proxy, () -> given().baseUri(service.baseUri().toString())
                .auth().oauth2(TestTokens.forRoles("drill@ops.example", "billing-admin")).contentType("application/json")
                .body("{\"customerId\":\"drill-" + java.util.UUID.randomUUID() + "\",\"service\":\"azure-vm\",\"regions\":[\"eu-west\"],\"monthlyFee\":{\"amount\":\"100.00\",\"currency\":\"USD\"},\"policyId\":\"azure-99.9\"}").when().post("/api/contracts"), DatabaseOutageIT::rows);
    }

    private static long rows() {
        var postgres = TestInfrastructure.postgres();
        try (Connection connection = DriverManager.getConnection(databaseUrl, postgres.username(), postgres.password());
                ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM contract")) {
            count.next();
            return count.getLong(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

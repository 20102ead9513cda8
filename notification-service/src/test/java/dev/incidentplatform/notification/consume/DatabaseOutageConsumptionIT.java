package dev.incidentplatform.notification.consume;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.PackagedService;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TcpProxy;
import dev.incidentplatform.testsupport.TestTokens;

/**
 * An event consumed while the packaged service's database is unreachable fails transiently: it is retried, far more
 * often than the attempts after which a failing event is parked, and applied once the database is back; never parked.
 */
class DatabaseOutageConsumptionIT {

    @Test
    void anEventConsumedWhileTheDatabaseIsAwayIsRetriedAndAppliedAfterItsReturnNotParked() throws Exception {
        Map<String, String> config = PackagedService.config("notification_consume_outage_it");
        config.put("platform.consume.backoff-cap", "PT0.5S");
        String databaseUrl = config.get("quarkus.datasource.jdbc.url");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(databaseUrl)) {
            config.put("quarkus.datasource.jdbc.url", proxy.jdbcUrl(databaseUrl));
            try (ServiceProcess service = ServiceProcess.of("notification-service-consume-outage", config).start()) {
                String drilled = "outage-" + UUID.randomUUID().toString().substring(0, 8);
                String address = "outage@" + drilled + ".example.test";
                given().baseUri(service.baseUri().toString()).auth().oauth2(TestTokens.forRoles("it", "subscriber-admin"))
                        .contentType("application/json").body("{\"email\":\"" + address + "\",\"services\":[\"" + drilled
                                + "\"]}").when().post("/api/subscribers").then().statusCode(201);
                Map<String, Object> event = TestEvents.incidentOpened(UUID.randomUUID(), "Outage drill", "SEV2",
                        List.of(component(drilled, "major_outage", "global")));
                proxy.cut();
                try {
                    TestEvents.publish(event);
                    // At the 0.5 s cap, well over twice the 5 attempts after which a failure of the event's own is parked.
                    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> Files.readString(service.logFile()).split("failed \\(transient").length > 11);
                } finally {
                    proxy.restore();
                }
                Mails.awaitTo(address, 1);
                UUID eventId = UUID.fromString((String) event.get("eventId"));
                assertThat(count(config, databaseUrl, "SELECT count(*) FROM parked_event")).isZero();
                assertThat(count(config, databaseUrl, "SELECT count(*) FROM inbox WHERE event_id = '" + eventId + "'"))
                        .isEqualTo(1);
                assertThat(count(config, databaseUrl, "SELECT count(*) FROM delivery WHERE event_id = '" + eventId + "'"))
                        .isEqualTo(1);
            }
        }
    }

    private static long count(Map<String, String> config, String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password")); PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}

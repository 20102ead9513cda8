package dev.incidentplatform.compensation.outage;

import static dev.incidentplatform.compensation.Incidents.component;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.compensation.Incidents;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TcpProxy;

/**
 * An event consumed while the packaged service's database is unreachable fails transiently: it is retried, far more
 * often than the attempts after which a failing event is parked, and applied once the database is back; never parked.
 */
class DatabaseOutageConsumptionIT {

    @Test
    void anEventConsumedWhileTheDatabaseIsAwayIsRetriedAndAppliedAfterItsReturnNotParked() throws Exception {
        Map<String, String> config = ServiceProcess.infrastructureConfig("compensation_consume_outage_it",
                Map.of("incident-events", 6, "credit-events", 6, "incident-events.compensation-service.dlq", 1));
        config.put("platform.consume.backoff-cap", "PT0.5S");
        String databaseUrl = config.get("quarkus.datasource.jdbc.url");
        try (TcpProxy proxy = TcpProxy.forJdbcUrl(databaseUrl)) {
            config.put("quarkus.datasource.jdbc.url", proxy.jdbcUrl(databaseUrl));
            try (ServiceProcess service = ServiceProcess.of("compensation-service-consume-outage", config).start()) {
                service.awaitReadiness(200, Duration.ofSeconds(60));
                Incidents incident = new Incidents();
                Incidents.Event opened = incident.opened("2024-09-01T00:00:00Z",
                        component("outage-" + UUID.randomUUID().toString().substring(0, 8), "major_outage", "global"));
                proxy.cut();
                try {
                    Incidents.send(opened);
                    // At the 0.5 s cap, well over twice the 5 attempts after which a failure of the event's own is parked.
                    Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                            .until(() -> Files.readString(service.logFile()).split("failed \\(transient").length > 11);
                } finally {
                    proxy.restore();
                }
                String eventId = opened.payload().get("eventId").asText();
                Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() ->
                        count(config, databaseUrl, "SELECT count(*) FROM incident_event WHERE event_id = '" + eventId + "'") == 1);
                assertThat(count(config, databaseUrl, "SELECT count(*) FROM parked_event")).isZero();
                assertThat(count(config, databaseUrl, "SELECT count(*) FROM inbox WHERE event_id = '" + eventId + "'"))
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

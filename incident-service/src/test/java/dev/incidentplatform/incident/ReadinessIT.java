package dev.incidentplatform.incident;

import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.ServiceProcess;

/** The packaged service stays ready while the broker is away: readiness is the database; Kafka is in its own health group. */
class ReadinessIT {

    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        service = ServiceProcess.of("incident-service",
                ServiceProcess.infrastructureConfig("incident_it", Map.of("incident-events", 6))).start();
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    @Test
    void readinessFollowsTheBroker() {
        service.assertReadinessOutlivesTheBroker();
    }
}

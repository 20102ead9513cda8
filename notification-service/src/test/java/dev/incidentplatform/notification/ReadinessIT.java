package dev.incidentplatform.notification;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.PackagedService;
import dev.incidentplatform.testsupport.ServiceProcess;

/** The packaged service is ready only while it reaches its database and Kafka. */
class ReadinessIT {

    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        service = ServiceProcess.of("notification-service", PackagedService.config("notification_it")).start();
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

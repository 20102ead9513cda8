package dev.incidentplatform.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItems;

import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.PackagedService;
import dev.incidentplatform.testsupport.KafkaBroker;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;

/** The packaged service is ready only while it reaches its database and Kafka. */
class ReadinessIT {

    private static ServiceProcess service;

    @BeforeAll
    static void start() {
        service = ServiceProcess.of("notification-service", PackagedService.config("notification_it")).start();
    }

    @AfterAll
    static void stop() {
        TestInfrastructure.kafka().start();
        service.close();
    }

    @Test
    void readinessFollowsTheBroker() {
        KafkaBroker kafka = TestInfrastructure.kafka();
        service.awaitReadiness(200, Duration.ofSeconds(60));
        given().baseUri(service.baseUri().toString()).when().get("/q/health/ready").then()
                .body("checks.name", hasItems("Database connections health check", "Kafka"));

        kafka.stop();
        service.awaitReadiness(503, Duration.ofSeconds(60));

        kafka.start();
        service.awaitReadiness(200, Duration.ofSeconds(60));
    }
}

package dev.incidentplatform.notification;

import static io.restassured.RestAssured.given;

import java.time.Duration;

import org.awaitility.Awaitility;
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
        readyStatus(200);

        kafka.stop();
        readyStatus(503);

        kafka.start();
        readyStatus(200);
    }

    private static void readyStatus(int expected) {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).untilAsserted(() ->
                given().baseUri(service.baseUri().toString()).when().get("/q/health/ready").then().statusCode(expected));
    }
}

package dev.incidentplatform.notification.health;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.consume.EventReader;
import dev.incidentplatform.notification.metrics.NotificationMetrics;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;

/** What an operator watches: the SMTP server in its own health group, and meters that explain themselves. */
@QuarkusTest
class HealthAndMetricsTest {

    @Test
    void smtpReachabilityIsItsOwnHealthGroupAndNeverReadiness() {
        given().when().get("/q/health/group/smtp").then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("SMTP"));
        given().when().get("/q/health/ready").then().body("checks.name", not(hasItem("SMTP")));
        TestInfrastructure.mail().stop();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                    given().when().get("/q/health/group/smtp").then().statusCode(503).body("status", equalTo("DOWN")));
            given().when().get("/q/health/ready").then().statusCode(200);
        } finally {
            TestInfrastructure.mail().start();
        }
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
                given().when().get("/q/health/group/smtp").then().statusCode(200));
    }

    @Test
    void everyApplicationMeterHasHelpTextAndEveryCounterExistsWithEachOfItsTags() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> counters = new ArrayList<>(List.of("notification_deliveries_sent_total", "notification_deliveries_failed_total",
                "notification_deliveries_retried_total", "notification_deliveries_coalesced_total",
                "notification_deliveries_cancelled_total"));
        for (String topic : NotificationMetrics.TOPICS) {
            counters.add("notification_events_unreadable_total{topic=\"" + topic + "\"}");
            counters.add("notification_events_skipped_total{topic=\"" + topic + "\"}");
        }
        for (String type : EventReader.KNOWN_TYPES) {
            counters.add("notification_events_applied_total{type=\"" + type + "\"}");
            counters.add("notification_events_duplicates_total{type=\"" + type + "\"}");
        }
        for (String counter : counters) {
            assertThat(metrics).as(counter).containsPattern("(?m)^" + Pattern.quote(counter.replace("}", "")) + ",?\\}? [0-9.E]+$");
        }
        Matcher families = Pattern.compile("(?m)^# TYPE (notification_\\w+) ").matcher(metrics);
        int seen = 0;
        while (families.find()) {
            seen++;
            assertThat(metrics).as(families.group(1)).containsPattern("(?m)^# HELP " + families.group(1) + " \\S");
        }
        assertThat(seen).isGreaterThanOrEqualTo(counters.size() / 2);
    }
}

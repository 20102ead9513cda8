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

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.channel.Channel;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.arc.All;
import io.quarkus.test.junit.QuarkusTest;

/** What an operator watches: the SMTP server in its own health group, and meters that explain themselves. */
@QuarkusTest
class HealthAndMetricsTest {

    @Inject
    @All
    List<Channel> channels;

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
        List<String> counters = new ArrayList<>();
        assertThat(channels).extracting(Channel::name).contains("email");
        for (Channel channel : channels) {
            for (String kind : List.of("sent", "failed", "retried", "coalesced", "cancelled")) {
                counters.add("notification_deliveries_" + kind + "_total{channel=\"" + channel.name() + "\"}");
            }
            counters.add("notification_deliveries_pending{channel=\"" + channel.name() + "\"}");
            counters.add("notification_delivery_lag_seconds_count{channel=\"" + channel.name() + "\"}");
        }
        for (String topic : List.of("incident-events", "credit-events")) {
            for (String cause : List.of("unreadable", "failed")) {
                counters.add("events_parked_total{cause=\"" + cause + "\",consumer_group=\"notification-service\",topic=\""
                        + topic + "\"}");
            }
        }
        for (String type : NotificationEvent.TYPES) {
            counters.add("notification_events_applied_total{type=\"" + type + "\"}");
            counters.add("notification_events_duplicates_total{type=\"" + type + "\"}");
        }
        for (String counter : counters) {
            assertThat(metrics).as(counter).containsPattern("(?m)^" + Pattern.quote(counter.replace("}", "")) + ",?\\}? [0-9.E]+( # \\{.*)?$");
        }
        Matcher families = Pattern.compile("(?m)^# TYPE (notification_\\w+) ").matcher(metrics);
        int seen = 0;
        while (families.find()) {
            seen++;
            assertThat(metrics).as(families.group(1)).containsPattern("(?m)^# HELP " + families.group(1) + " \\S");
        }
        // Every service meter above is one family with a # TYPE line, however many channels or types tag it.
        long expectedFamilies = counters.stream().filter(c -> c.startsWith("notification_"))
                .map(c -> c.substring(0, c.indexOf('{')).replaceAll("_(total|count)$", "")).distinct().count();
        assertThat(seen).isGreaterThanOrEqualTo((int) expectedFamilies);
    }
}

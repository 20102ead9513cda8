package dev.incidentplatform.compensation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;

import java.time.Duration;
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** What operators read: the relay's health group and lag, and every application metric with HELP and from 0. */
@QuarkusTest
class HealthAndMetricsTest {

    @Test
    void theRelayHasItsOwnHealthGroupWithItsLag() {
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> given().when().get("/q/health/group/relay")
                .then().statusCode(200).body("status", equalTo("UP"))
                .body("checks.name", hasItem("credit-events"))
                .body("checks.find { it.name == 'credit-events' }.data.leader", equalTo(true))
                .body("checks.find { it.name == 'credit-events' }.data.maxLagSeconds", equalTo(300)));
        // Not part of readiness: a relay waiting for the broker does not take the REST API out of service.
        given().when().get("/q/health/ready").then().body("checks.name", org.hamcrest.Matchers.not(hasItem("credit-events")));
    }

    @Test
    void everyApplicationMetricHasHelpTextAndEveryCounterExistsFromStartUp() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        for (String outcome : List.of("applied", "duplicate", "no_impact", "superseded_version", "unknown_type")) {
            assertThat(metrics).contains("compensation_incident_events_total{outcome=\"" + outcome + "\"");
        }
        for (String cause : List.of("unreadable", "failed")) {
            assertThat(metrics).contains("events_parked_total{cause=\"" + cause
                    + "\",consumer_group=\"compensation-service\",topic=\"incident-events\"}");
        }
        assertThat(metrics).contains("outbox_published_total{stream=\"credit-events\"}")
                .contains("outbox_failures_total{stream=\"credit-events\"}").contains("outbox_lag_events{stream=\"credit-events\"}")
                .contains("outbox_lag_seconds{stream=\"credit-events\"}").contains("outbox_leader{stream=\"credit-events\"}");
        List<String> families = metrics.lines().filter(l -> l.startsWith("# TYPE compensation_") || l.startsWith("# TYPE outbox_"))
                .map(l -> l.split(" ")[2]).toList();
        assertThat(families).hasSizeGreaterThanOrEqualTo(5);
        for (String family : families) {
            assertThat(metrics.lines().filter(l -> l.startsWith("# HELP " + family + " ")).findFirst())
                    .as("HELP of " + family).hasValueSatisfying(help -> assertThat(help.substring(("# HELP " + family + " ").length()))
                            .isNotBlank());
        }
    }
}

package dev.incidentplatform.incident.health;

import static dev.incidentplatform.incident.Api.open;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The relay's and the projection's state in /q/health/group/relay (not in readiness), and meters an operator can read. */
@QuarkusTest
class RelayHealthTest {

    private static final Pattern HELP = Pattern.compile("^# HELP ((?:incident|outbox)_\\w+) ?(.*)$", Pattern.MULTILINE);
    private static final Pattern TYPE = Pattern.compile("^# TYPE ((?:incident|outbox)_\\w+) ", Pattern.MULTILINE);

    @Test
    void theRelayGroupShowsTheLeaderAndBothLags() {
        open();
        given().when().get("/q/health/group/relay").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks.name", hasItems("incident-events", "read-models"))
                .body("checks.find { it.name == 'incident-events' }.data.leader", equalTo(true))
                .body("checks.find { it.name == 'incident-events' }.data.running", equalTo(true))
                .body("checks.find { it.name == 'incident-events' }.data.lagEvents", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("checks.find { it.name == 'incident-events' }.data.lagSeconds", org.hamcrest.Matchers.greaterThanOrEqualTo(0))
                .body("checks.find { it.name == 'read-models' }.data.leader", equalTo(true))
                .body("checks.find { it.name == 'read-models' }.data.lagEvents", org.hamcrest.Matchers.greaterThanOrEqualTo(0));
    }

    @Test
    void readinessDoesNotDependOnTheRelay() {
        given().when().get("/q/health/ready").then().statusCode(200)
                .body("checks.name", not(hasItems("incident-events")))
                .body("checks.name", not(hasItems("read-models")));
    }

    @Test
    void everyApplicationMeterHasHelpTextAndEveryCounterExistsWithEachTagValue() {
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        List<String> typed = new ArrayList<>();
        for (Matcher type = TYPE.matcher(metrics); type.find();) {
            typed.add(type.group(1));
        }
        List<String> withoutHelp = new ArrayList<>(typed);
        for (Matcher help = HELP.matcher(metrics); help.find();) {
            if (!help.group(2).isBlank()) {
                withoutHelp.remove(help.group(1));
            }
        }
        // The exposition names a counter's family without the _total of its samples.
        assertThat(typed).contains("incident_events_appended", "outbox_published", "outbox_applied", "outbox_failures",
                "outbox_leader", "outbox_lag_events", "outbox_lag_seconds", "outbox_latency_seconds");
        assertThat(withoutHelp).as("meters without HELP text").isEmpty();
        // Registered at start-up with every value of their tag, so that a rate exists before the first event.
        assertThat(metrics).contains("incident_events_appended_total{type=\"incident-opened\"}",
                "incident_events_appended_total{type=\"update-posted\"}", "incident_events_appended_total{type=\"review-published\"}",
                "outbox_failures_total{stream=\"incident-events\"}", "outbox_failures_total{stream=\"read-models\"}",
                "outbox_leader{stream=\"incident-events\"} 1.0", "outbox_leader{stream=\"read-models\"} 1.0");
    }
}

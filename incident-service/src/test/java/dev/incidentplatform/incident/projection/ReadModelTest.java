package dev.incidentplatform.incident.projection;

import static dev.incidentplatform.incident.Api.component;
import static dev.incidentplatform.incident.Api.open;
import static dev.incidentplatform.incident.Api.openBody;
import static dev.incidentplatform.incident.Api.reader;
import static dev.incidentplatform.incident.Api.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;


import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.incident.Api;
import dev.incidentplatform.incident.EventStoreTables;
import io.quarkus.test.junit.QuarkusTest;

/** The list and the status board follow the event store, and a rebuild from the events gives the same tables. */
@QuarkusTest
class ReadModelTest {

    @Inject
    DataSource dataSource;

    private void awaitProjected() {
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(20)).until(() ->
                EventStoreTables.single(dataSource, "SELECT count(*) FROM event e, checkpoint c WHERE c.name = 'projection:read-models'"
                        + " AND (e.transaction_id, e.position) > (c.last_transaction_id, c.last_position)") == 0);
    }

    @Test
    void theListFiltersByStatusServiceAndRegionAndPages() {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String euOnly = open(openBody("EU only", List.of(component(service, "major_outage", "eu-west"))));
        String everywhere = open(openBody("Everywhere", List.of(component(service, "partial_outage", "global"))));
        String usOnly = open(openBody("US only", List.of(component(service, "degraded_performance", "us-east"))));
        Api.update(usOnly, "resolved", "Fixed");
        awaitProjected();

        reader().queryParam("service", service).when().get("/api/incidents").then().statusCode(200)
                .body("totalItems", equalTo(3)).body("items.id", equalTo(List.of(usOnly, everywhere, euOnly)));
        reader().queryParam("service", service).queryParam("region", "eu-west").when().get("/api/incidents").then()
                .body("items.id", equalTo(List.of(everywhere, euOnly)));
        reader().queryParam("service", service).queryParam("status", "resolved").when().get("/api/incidents").then()
                .body("items.id", equalTo(List.of(usOnly)));
        reader().queryParam("service", service).queryParam("size", 2).when().get("/api/incidents").then()
                .body("items.id", equalTo(List.of(usOnly, everywhere))).body("totalPages", equalTo(2))
                .body("links.next", org.hamcrest.Matchers.containsString("page=1"));
        reader().queryParam("service", service).queryParam("size", 2).queryParam("page", 1).when().get("/api/incidents").then()
                .body("items.id", equalTo(List.of(euOnly))).body("links.prev", org.hamcrest.Matchers.containsString("page=0"));
    }

    @Test
    void theStatusBoardShowsTheWorstCurrentStatusPerRegionAndItsIncidents() {
        String service = "svc-" + UUID.randomUUID().toString().substring(0, 8);
        String global = open(openBody("Global", List.of(component(service, "partial_outage", "global"))));
        String regional = open(openBody("Regional", List.of(component(service, "major_outage", "eu-west"),
                component(service, "degraded_performance", "us-east"))));
        awaitProjected();

        reader().queryParam("service", service).when().get("/api/status").then().statusCode(200)
                .body("items.region", equalTo(List.of("eu-west", "global", "us-east")))
                .body("items.status", equalTo(List.of("major_outage", "partial_outage", "partial_outage")))
                .body("items[0].incidents.incidentId", equalTo(List.of(regional, global)))
                .body("items[2].incidents.incidentId", equalTo(List.of(global, regional)));

        writer().body(Map.of("status", "monitoring", "message", "Recovering",
                "components", List.of(component(service, "operational", "eu-west", "us-east"))))
                .when().post("/api/incidents/" + regional + "/updates").then().statusCode(201);
        Api.update(global, "resolved", "Fixed");
        awaitProjected();

        reader().queryParam("service", service).when().get("/api/status").then().statusCode(200).body("totalItems", equalTo(0));
    }

    @Test
    void aRebuildFromTheEventStoreGivesTablesEqualToTheLiveOnesWhileReadersKeepSeeingThem() {
        for (int i = 0; i < 5; i++) {
            String id = open();
            Api.update(id, "identified", "Found");
            if (i % 2 == 0) {
                Api.update(id, "resolved", "Fixed");
                writer().body(Map.of("rootCause", "Cause " + i, "impactSummary", "Impact")).when()
                        .post("/api/incidents/" + id + "/review").then().statusCode(201);
            }
        }
        awaitProjected();
        List<String> summaries = EventStoreTables.dump(dataSource, "incident_summary", "incident_id");
        List<String> components = EventStoreTables.dump(dataSource, "incident_component", "incident_id, service, region");
        List<String> statuses = EventStoreTables.dump(dataSource, "component_status", "service, region");
        long listed = summaries.size();

        String location = writer().when().post("/api/admin/projections/rebuild").then().statusCode(202)
                .body("state", equalTo("running")).extract().header("Location");
        AtomicLong fewestSeen = new AtomicLong(Long.MAX_VALUE);
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(10)).until(() -> {
            long total = ((Number) reader().queryParam("size", 1).when().get("/api/incidents").then().statusCode(200)
                    .extract().path("totalItems")).longValue();
            fewestSeen.accumulateAndGet(total, Math::min);
            return "completed".equals(reader().when().get(location).then().statusCode(200).extract().path("state"));
        });
        reader().when().get(location).then().body("processed", equalTo(((Number) reader().when().get(location).then()
                .extract().path("total")).intValue())).body("requestedBy", equalTo(Api.WRITER));

        assertThat(fewestSeen.get()).as("incidents listed during the rebuild").isEqualTo(listed);
        assertThat(EventStoreTables.dump(dataSource, "incident_summary", "incident_id")).isEqualTo(summaries);
        assertThat(EventStoreTables.dump(dataSource, "incident_component", "incident_id, service, region")).isEqualTo(components);
        assertThat(EventStoreTables.dump(dataSource, "component_status", "service, region")).isEqualTo(statuses);

        // The live projector goes on from the rebuilt tables.
        String later = open();
        awaitProjected();
        reader().queryParam("size", 200).when().get("/api/incidents").then().body("items.id", hasItem(later));
        reader().when().get("/api/admin/projections/rebuilds/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void theEventTableIsAppendOnly() {
        open();
        for (String statement : List.of("UPDATE event SET type = 'x'", "DELETE FROM event", "TRUNCATE event")) {
            try (var connection = dataSource.getConnection(); var sql = connection.createStatement()) {
                sql.execute(statement);
                throw new AssertionError(statement + " was allowed");
            } catch (java.sql.SQLException refused) {
                assertThat(refused.getMessage()).contains("append-only");
            }
        }
    }

    @Test
    void metricsShowAppendsPublishesAndLag() {
        open();
        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
        assertThat(metrics).contains("incident_events_appended_total{type=\"incident-opened\"}",
                "outbox_published_total{stream=\"incident-events\"}", "outbox_lag_events{stream=\"incident-events\"}",
                "outbox_lag_seconds{stream=\"incident-events\"}", "outbox_applied_total{stream=\"read-models\"}",
                "outbox_lag_events{stream=\"read-models\"}", "outbox_latency_seconds_count{stream=\"incident-events\"}");
        assertThat(metrics).doesNotContain("incident_events_appended_total{type=\"incident-opened\"} 0.0");
    }

    private static io.restassured.specification.RequestSpecification given() {
        return io.restassured.RestAssured.given();
    }

}

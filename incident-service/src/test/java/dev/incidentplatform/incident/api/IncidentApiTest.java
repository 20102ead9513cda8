package dev.incidentplatform.incident.api;

import static dev.incidentplatform.incident.Api.component;
import static dev.incidentplatform.incident.Api.open;
import static dev.incidentplatform.incident.Api.openBody;
import static dev.incidentplatform.incident.Api.reader;
import static dev.incidentplatform.incident.Api.writer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.incident.Api;
import dev.incidentplatform.incident.EventStoreTables;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;

/** Every endpoint's happy path and every 4xx the issue lists; no 4xx appends an event. */
@QuarkusTest
class IncidentApiTest {

    @Inject
    DataSource dataSource;

    // ---- happy paths --------------------------------------------------------------------------------------------

    @Test
    void openingAnIncidentAnswers201WithLocationEtagAndTheIncident() {
        Map<String, Object> body = openBody();
        body.put("startedAt", "2024-07-19T04:09:00Z");
        String location = writer().header("X-Correlation-Id", "outage-2024-07-19").body(body).when().post("/api/incidents")
                .then().statusCode(201)
                .header("ETag", "\"1\"")
                .body("title", equalTo("VMs crash on boot after a faulty sensor update"))
                .body("severity", equalTo("SEV1"))
                .body("impact", equalTo("critical"))
                .body("status", equalTo("investigating"))
                .body("startedAt", equalTo("2024-07-19T04:09:00Z"))
                .body("openedBy", equalTo(Api.WRITER))
                .body("version", equalTo(1))
                .body("components", hasSize(2))
                .extract().header("Location");
        assertThat(location).matches(".*/api/incidents/[0-9a-f-]{36}$");
        String id = location.substring(location.lastIndexOf('/') + 1);

        reader().when().get("/api/incidents/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .body("id", equalTo(id)).body("components[1].regions", equalTo(List.of("eu-west", "us-east")));

        EventStoreTables.Row stored = EventStoreTables.stream(dataSource, id).get(0);
        assertThat(stored.type()).isEqualTo("incident-opened");
        reader().when().get("/api/incidents/" + id + "/events").then().statusCode(200)
                .body("totalItems", equalTo(1))
                .body("items[0].type", equalTo("incident-opened"))
                .body("items[0].metadata.actor", equalTo(Api.WRITER))
                .body("items[0].metadata.correlationId", equalTo("outage-2024-07-19"))
                .body("items[0].data.correlationId", equalTo("outage-2024-07-19"))
                .body("items[0].data.actor", equalTo(Api.WRITER));
    }

    @Test
    void anUpdateChangesTheListedComponentsKeepsTheOthersAndAnswersWithTheNewEtag() {
        String id = open();
        writer().header("If-Match", "\"1\"")
                .body(Map.of("status", "identified", "message", "Faulty update found; rolling back.",
                        "components", List.of(component("teams", "operational", "eu-west"))))
                .when().post("/api/incidents/" + id + "/updates")
                .then().statusCode(201).header("ETag", "\"2\"")
                .header("Location", containsString("/api/incidents/" + id + "/events/2"))
                .body("status", equalTo("identified"))
                .body("version", equalTo(2))
                .body("components.find { it.service == 'azure-vms' }.status", equalTo("major_outage"))
                .body("components.find { it.service == 'teams' && it.regions == ['eu-west'] }.status", equalTo("operational"))
                .body("components.find { it.service == 'teams' && it.regions == ['us-east'] }.status", equalTo("partial_outage"))
                .body("updates", hasSize(1));

        reader().when().get("/api/incidents/" + id + "/events/2").then().statusCode(200)
                .body("type", equalTo("update-posted")).body("data.components", hasSize(3));
    }

    @Test
    void aReviewIsPublishedOnceResolvedAndCorrectedAsANewVersion() {
        String id = open();
        Map<String, Object> review = Map.of("rootCause", "Out-of-bounds read in sensor content",
                "impactSummary", "Windows VMs crashed on boot for 5 hours", "preventativeMeasures", List.of("Staged rollout"));
        writer().body(review).when().post("/api/incidents/" + id + "/review").then().statusCode(409)
                .contentType("application/problem+json").body("errors[0].field", equalTo("status"));

        Api.update(id, "resolved", "All VMs recovered.");
        writer().body(review).when().post("/api/incidents/" + id + "/review").then().statusCode(201)
                .header("ETag", "\"3\"").body("review.reviewVersion", equalTo(1));
        writer().body(review).when().post("/api/incidents/" + id + "/review").then().statusCode(409)
                .body("errors[0].field", equalTo("correctsVersion"));
        Map<String, Object> correction = new HashMap<>(review);
        correction.put("correctsVersion", 1);
        correction.put("rootCause", "Out-of-bounds read in channel file 291");
        writer().body(correction).when().post("/api/incidents/" + id + "/review").then().statusCode(201)
                .header("ETag", "\"4\"").body("review.reviewVersion", equalTo(2))
                .body("review.rootCause", equalTo("Out-of-bounds read in channel file 291"));
    }

    @Test
    void aResolvedIncidentTakesNoMoreUpdates() {
        String id = open();
        Api.update(id, "resolved", "Recovered.");
        long before = EventStoreTables.count(dataSource);
        writer().body(Map.of("status", "monitoring", "message", "Again?")).when().post("/api/incidents/" + id + "/updates")
                .then().statusCode(409).contentType("application/problem+json").body("detail", containsString("resolved"));
        assertThat(EventStoreTables.count(dataSource)).isEqualTo(before);
    }

    @Test
    void asOfRebuildsTheIncidentAtSeveralInstants() throws Exception {
        String id = open();
        Instant afterOpen = now();
        waitPast(afterOpen);
        Api.update(id, "identified", "Found it.");
        Instant afterIdentified = now();
        waitPast(afterIdentified);
        Api.update(id, "resolved", "Fixed.");

        Instant opened = Instant.parse(reader().when().get("/api/incidents/" + id).then().extract().path("openedAt"));
        reader().queryParam("asOf", opened.minusSeconds(1).toString()).when().get("/api/incidents/" + id).then().statusCode(404)
                .contentType("application/problem+json");
        reader().queryParam("asOf", afterOpen.toString()).when().get("/api/incidents/" + id).then().statusCode(200)
                .body("status", equalTo("investigating")).body("version", equalTo(1)).body("updates", hasSize(0))
                .body("asOf", equalTo(afterOpen.toString()));
        reader().queryParam("asOf", afterIdentified.toString()).when().get("/api/incidents/" + id).then().statusCode(200)
                .body("status", equalTo("identified")).body("version", equalTo(2)).body("resolvedAt", nullValue());
        reader().queryParam("asOf", now().toString()).when().get("/api/incidents/" + id).then().statusCode(200)
                .body("status", equalTo("resolved")).body("version", equalTo(3)).body("resolvedAt", notNullValue());
        reader().queryParam("asOf", "2024-07-19T06:00:00+02:00").when().get("/api/incidents/" + id).then().statusCode(400)
                .body("errors[0].field", equalTo("asOf"));
    }

    // ---- idempotency, versions and races ------------------------------------------------------------------------

    @Test
    void aRetryWithTheSameIdempotencyKeyGetsTheFirstAnswerAndAppendsNothing() {
        String key = UUID.randomUUID().toString();
        Map<String, Object> body = openBody();
        ValidatableResponse first = writer().header("Idempotency-Key", key).body(body).when().post("/api/incidents").then().statusCode(201)
                .header("Idempotent-Replayed", nullValue());
        String location = first.extract().header("Location");
        String firstBody = first.extract().asString();
        long after = EventStoreTables.count(dataSource);

        // The same JSON laid out differently is the same request.
        String reordered = "{\"components\":[{\"status\":\"major_outage\",\"regions\":[\"global\"],\"service\":\"azure-vms\"},"
                + "{\"service\":\"teams\",\"regions\":[\"eu-west\",\"us-east\"],\"status\":\"partial_outage\"}],"
                + "\"message\":\"We are investigating.\",\"severity\":\"SEV1\","
                + "\"title\":\"VMs crash on boot after a faulty sensor update\"}";
        writer().header("Idempotency-Key", key).body(reordered).when().post("/api/incidents").then().statusCode(201)
                .header("Location", location).header("ETag", "\"1\"").header("Idempotent-Replayed", "true")
                .body(equalTo(firstBody));
        assertThat(EventStoreTables.count(dataSource)).isEqualTo(after);

        body.put("title", "Another incident");
        writer().header("Idempotency-Key", key).body(body).when().post("/api/incidents").then().statusCode(422)
                .contentType("application/problem+json").body("detail", containsString("Idempotency-Key"));
        assertThat(EventStoreTables.count(dataSource)).isEqualTo(after);
    }

    @Test
    void anUpdateRetriedWithItsKeyIsAppendedOnce() {
        String id = open();
        String key = "update-" + UUID.randomUUID();
        Map<String, Object> update = Map.of("status", "identified", "message", "Found it.");
        for (int attempt = 0; attempt < 3; attempt++) {
            writer().header("Idempotency-Key", key).body(update).when().post("/api/incidents/" + id + "/updates")
                    .then().statusCode(201).header("ETag", "\"2\"")
                    .header("Idempotent-Replayed", attempt == 0 ? nullValue() : equalTo("true"));
        }
        assertThat(EventStoreTables.stream(dataSource, id)).hasSize(2);
    }

    @Test
    void aStaleIfMatchGets412AndAppendsNothing() {
        String id = open();
        Api.update(id, "identified", "Found it.");
        writer().header("If-Match", "\"1\"").body(Map.of("status", "monitoring", "message", "Watching."))
                .when().post("/api/incidents/" + id + "/updates")
                .then().statusCode(412).contentType("application/problem+json").body("detail", containsString("\"2\""));
        assertThat(EventStoreTables.stream(dataSource, id)).hasSize(2);
        writer().header("If-Match", "\"2\"").body(Map.of("status", "monitoring", "message", "Watching."))
                .when().post("/api/incidents/" + id + "/updates").then().statusCode(201).header("ETag", "\"3\"");
    }

    @Test
    void ofTwoConcurrentUpdatesAtTheSameVersionExactlyOneWinsAndTheStreamStaysIntact() throws Exception {
        for (int round = 0; round < 8; round++) {
            String id = open();
            List<Integer> statuses = new ArrayList<>();
            var executor = java.util.concurrent.Executors.newFixedThreadPool(2);
            try {
                var barrier = new java.util.concurrent.CyclicBarrier(2);
                List<java.util.concurrent.Future<Integer>> calls = new ArrayList<>();
                for (String status : List.of("identified", "monitoring")) {
                    calls.add(executor.submit(() -> {
                        var request = writer().header("If-Match", "\"1\"").body(Map.of("status", status, "message", status));
                        barrier.await();
                        return request.when().post("/api/incidents/" + id + "/updates").then().extract().statusCode();
                    }));
                }
                for (var call : calls) {
                    statuses.add(call.get());
                }
            } finally {
                executor.shutdownNow();
            }
            assertThat(statuses).containsOnlyOnce(201);
            assertThat(statuses).anyMatch(status -> status == 409 || status == 412);
            assertThat(EventStoreTables.stream(dataSource, id)).extracting(EventStoreTables.Row::version).containsExactly(1, 2);
        }
    }

    // ---- bad input: 400 problem+json naming the field, nothing appended ------------------------------------------

    @Test
    void malformedJsonIs400() {
        rejected400(writer().body("{\"title\": \"x\","), "/api/incidents", null);
        rejected400(writer().body("[1, 2]"), "/api/incidents", null);
        rejected400(writer().body("{\"title\": \"a\", \"title\": \"b\"}"), "/api/incidents", null);
    }

    @Test
    void missingOrBlankTitleAndMessageAre400() {
        Map<String, Object> body = openBody();
        body.remove("title");
        rejected400(writer().body(body), "/api/incidents", "title");
        body = openBody();
        body.put("title", "   ");
        rejected400(writer().body(body), "/api/incidents", "title");
        body = openBody();
        body.put("message", "");
        rejected400(writer().body(body), "/api/incidents", "message");
        String id = open();
        rejected400(writer().body(Map.of("status", "identified")), "/api/incidents/" + id + "/updates", "message");
    }

    @Test
    void overlongTitleAndMessageAre400() {
        Map<String, Object> body = openBody();
        body.put("title", "t".repeat(201));
        rejected400(writer().body(body), "/api/incidents", "title");
        body = openBody();
        body.put("message", "m".repeat(10_001));
        rejected400(writer().body(body), "/api/incidents", "message");
    }

    @Test
    void unknownSeverityStatusAndComponentStatusAre400() {
        Map<String, Object> body = openBody();
        body.put("severity", "SEV0");
        rejected400(writer().body(body), "/api/incidents", "severity");
        body = openBody();
        body.put("components", List.of(component("teams", "on_fire", "eu-west")));
        rejected400(writer().body(body), "/api/incidents", "components[0].status");
        String id = open();
        rejected400(writer().body(Map.of("status", "fixed", "message", "x")), "/api/incidents/" + id + "/updates", "status");
    }

    @Test
    void emptyTooManyAndDuplicateComponentsAre400() {
        rejected400(writer().body(openBody("t", List.of())), "/api/incidents", "components");
        rejected400(writer().body(openBody("t", IntStream.range(0, 101)
                .mapToObj(i -> component("service-" + i, "major_outage", "global")).toList())), "/api/incidents", "components");
        rejected400(writer().body(openBody("t", List.of(component("teams", "major_outage", "eu-west"),
                component("teams", "partial_outage", "us-east", "eu-west")))), "/api/incidents", "components[1].regions[1]");
        rejected400(writer().body(openBody("t", List.of(component("teams", "major_outage", "global", "eu-west")))),
                "/api/incidents", "components[0].regions");
    }

    @Test
    void timesMustBeUtcAndStartedAtNotInTheFuture() {
        Map<String, Object> body = openBody();
        body.put("startedAt", "2024-07-19T06:09:00+02:00");
        rejected400(writer().body(body), "/api/incidents", "startedAt");
        body.put("startedAt", "yesterday");
        rejected400(writer().body(body), "/api/incidents", "startedAt");
        body.put("startedAt", Instant.now().plus(1, ChronoUnit.HOURS).truncatedTo(ChronoUnit.SECONDS).toString());
        rejected400(writer().body(body), "/api/incidents", "startedAt");
    }

    @Test
    void effectiveAtOutOfOrderIs400() {
        String id = open();
        // Not before the incident's start (now, on the server), not after now + 2 minutes.
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(5);
        writer().body(Map.of("status", "identified", "message", "x", "effectiveAt", now.toString()))
                .when().post("/api/incidents/" + id + "/updates").then().statusCode(201);
        rejected400(writer().body(Map.of("status", "monitoring", "message", "y", "effectiveAt", now.minusSeconds(60).toString())),
                "/api/incidents/" + id + "/updates", "effectiveAt");
    }

    @Test
    void aValueThatCannotBeBoundIsNamedByItsPath() {
        Map<String, Object> body = openBody();
        body.put("components", List.of(Map.of("service", "teams", "regions", "eu-west", "status", "major_outage")));
        rejectedWith(body, "components[0].regions");
        body = openBody();
        body.put("components", List.of(Map.of("service", "teams", "regions", List.of("eu-west"), "status", "down")));
        rejectedWith(body, "components[0].status");
        body = openBody();
        body.put("colour", "red");
        rejectedWith(body, "colour");
        body = openBody();
        body.put("title", 42);
        rejectedWith(body, "title");
    }

    @Test
    void everyRuleABoundRequestBreaksIsReportedTogether() {
        writer().body(Map.of("title", " ", "severity", "SEV1", "message", "", "startedAt", "2100-01-01T00:00:00Z",
                "components", List.of(Map.of("service", "Teams", "regions", List.of("EU_WEST"), "status", "major_outage"))))
                .when().post("/api/incidents").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", org.hamcrest.Matchers.containsInAnyOrder("title", "message", "startedAt",
                        "components[0].service", "components[0].regions[0]"));
    }

    private void rejectedWith(Map<String, Object> body, String field) {
        writer().body(body).when().post("/api/incidents").then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of(field)));
    }

    @Test
    void unknownIncidentIs404() {
        String unknown = UUID.randomUUID().toString();
        reader().when().get("/api/incidents/" + unknown).then().statusCode(404).contentType("application/problem+json");
        reader().when().get("/api/incidents/not-a-uuid").then().statusCode(404).contentType("application/problem+json");
        reader().when().get("/api/incidents/" + unknown + "/events").then().statusCode(404);
        writer().body(Map.of("status", "identified", "message", "x")).when().post("/api/incidents/" + unknown + "/updates")
                .then().statusCode(404).contentType("application/problem+json");
        writer().body(Map.of("rootCause", "x", "impactSummary", "y")).when().post("/api/incidents/" + unknown + "/review")
                .then().statusCode(404);
    }

    @Test
    void aBodyOver256KiBIs413AndAWrongContentTypeIs415() {
        long before = EventStoreTables.count(dataSource);
        Map<String, Object> body = openBody();
        body.put("message", "m".repeat(300 * 1024));
        writer().body(body).when().post("/api/incidents").then().statusCode(413).contentType("application/problem+json")
                .body("status", equalTo(413));
        writer().contentType("text/plain").body("title=x").when().post("/api/incidents").then().statusCode(415)
                .contentType("application/problem+json");
        assertThat(EventStoreTables.count(dataSource)).isEqualTo(before);
    }

    @Test
    void readersMayNotWrite() {
        reader().contentType("application/json").body(openBody()).when().post("/api/incidents").then().statusCode(403)
                .contentType("application/problem+json");
    }

    // ---- lists ----------------------------------------------------------------------------------------------------

    @Test
    void pagingIsBoundedAndValidated() {
        reader().queryParam("size", 501).when().get("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("size"));
        reader().queryParam("page", -1).when().get("/api/incidents").then().statusCode(400).body("errors[0].field", equalTo("page"));
        reader().queryParam("size", "ten").when().get("/api/incidents/" + open() + "/events").then().statusCode(400);
        reader().queryParam("status", "fixed").when().get("/api/incidents").then().statusCode(400);
        reader().queryParam("size", 501).when().get("/api/status").then().statusCode(400);
    }

    @Test
    void listFiltersHaveTheSyntaxOfTheNamesTheyFilterBy() {
        reader().queryParam("service", "Azure VMs").queryParam("region", "EU_WEST").when().get("/api/incidents").then()
                .statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("service", "region")))
                .body("errors[0].reason", containsString("lower-case letters"));
        reader().queryParam("service", "a".repeat(65)).when().get("/api/status").then().statusCode(400)
                .body("errors[0].field", equalTo("service"));
        reader().queryParam("service", "azure-vms").queryParam("region", "global").when().get("/api/incidents").then().statusCode(200);
    }

    @Test
    void pagingLinksAreRelativeAndNeverRepeatTheHostHeader() {
        for (int i = 0; i < 3; i++) {
            open();
        }
        // The list is a projection: wait until it holds at least three investigating incidents, so that page 1 has both neighbours.
        org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(60)).until(() -> reader().queryParam("status",
                "investigating").when().get("/api/incidents").then().extract().<Integer>path("totalItems") >= 3);
        String self = reader().header("Host", "evil.example").queryParam("size", 1).queryParam("page", 1)
                .queryParam("status", "investigating").when().get("/api/incidents").then().statusCode(200)
                .body("links.prev", equalTo("/api/incidents?status=investigating&page=0&size=1"))
                .body("links.next", equalTo("/api/incidents?status=investigating&page=2&size=1"))
                .extract().path("links.self");
        assertThat(self).isEqualTo("/api/incidents?status=investigating&page=1&size=1").doesNotContain("evil");
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    /** The next command must carry a later occurredAt than {@code instant} (clock resolution). */
    private static void waitPast(Instant instant) {
        org.awaitility.Awaitility.await().pollInterval(java.time.Duration.ofMillis(1)).until(() -> now().isAfter(instant.plusMillis(2)));
    }

    private void rejected400(io.restassured.specification.RequestSpecification request, String path, String field) {
        long before = EventStoreTables.count(dataSource);
        ValidatableResponse response = request.when().post(path).then().statusCode(400).contentType("application/problem+json")
                .body("status", equalTo(400)).body("detail", notNullValue());
        if (field != null) {
            response.body("errors.field", hasItem(field));
        }
        assertThat(EventStoreTables.count(dataSource)).as("events after a 400").isEqualTo(before);
    }
}

package dev.incidentplatform.notification.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.notNullValue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.domain.Language;
import dev.incidentplatform.notification.support.Api;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;

@QuarkusTest
class SubscriberApiTest {

    @Test
    void createReadUpdateDeleteRecordingWhoActed() {
        String domain = Api.unique("crud") + ".example.test";
        String location = Api.admin().contentType("application/json")
                .body(Map.of("email", "Ops@" + domain, "name", "Ops", "customerId", "contoso", "services", List.of("teams"),
                        "regions", List.of("eu-west")))
                .when().post("/api/subscribers")
                .then().statusCode(201).header("ETag", "\"1\"").header("Location", containsString("/api/subscribers/"))
                .body("email", equalTo("Ops@" + domain)).body("createdBy", equalTo(Api.ADMIN)).body("version", equalTo(1))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);

        Api.admin().when().get("/api/subscribers/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .body("services", contains("teams")).body("regions", contains("eu-west"));

        Api.admin().contentType("application/json").header("If-Match", "\"1\"")
                .body(Map.of("email", "ops@" + domain, "services", List.of(), "regions", List.of()))
                .when().put("/api/subscribers/" + id)
                .then().statusCode(200).header("ETag", "\"2\"").body("services", empty()).body("name", equalTo(null));

        Api.admin().contentType("application/json").header("If-Match", "\"1\"")
                .body(Map.of("email", "ops@" + domain))
                .when().put("/api/subscribers/" + id)
                .then().statusCode(412).contentType("application/problem+json").body("detail", containsString("version 2"));

        Api.admin().when().delete("/api/subscribers/" + id).then().statusCode(204);
        Api.admin().when().get("/api/subscribers/" + id).then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void anAddressIsUniqueRegardlessOfCase() {
        String email = "dup@" + Api.unique("dup") + ".example.test";
        Api.createSubscriber(email, List.of(Api.unique("dup")), List.of());
        Api.admin().contentType("application/json").body(Map.of("email", email.toUpperCase()))
                .when().post("/api/subscribers")
                .then().statusCode(409).contentType("application/problem+json")
                .body("errors[0].field", equalTo("email")).body("errors[0].reason", containsString("already subscribed"));
        Api.admin().queryParam("email", email).when().get("/api/subscribers").then().body("totalItems", equalTo(1));
    }

    @Test
    void badInputIsA400NamingEachFieldAndChangesNothing() {
        String domain = Api.unique("bad") + ".example.test";
        Api.admin().contentType("application/json")
                .body(Map.of("email", "not-an-address", "services", List.of("Bad Service"), "regions", List.of("global")))
                .when().post("/api/subscribers")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", contains("email", "services", "regions"));
        Api.admin().contentType("application/json").body("{\"email\": 42, \"services\": \"teams\"")
                .when().post("/api/subscribers")
                .then().statusCode(400).contentType("application/problem+json").body("detail", notNullValue());
        Api.admin().contentType("application/json").when().post("/api/subscribers").then().statusCode(400)
                .contentType("application/problem+json");
        Api.admin().queryParam("email", "not-an-address@" + domain).when().get("/api/subscribers").then().body("totalItems", equalTo(0));
        Api.admin().queryParam("size", 0).when().get("/api/subscribers").then().statusCode(400).body("errors[0].field", equalTo("size"));
        Api.admin().when().get("/api/subscribers/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void noValueIsCoercedIntoAnotherType() {
        String email = "strict@" + Api.unique("strict") + ".example.test";
        for (Map<String, Object> body : List.<Map<String, Object>>of(Map.of("email", 42), Map.of("email", email, "name", true),
                Map.of("email", email, "customerId", 7), Map.of("email", email, "services", "teams"),
                Map.of("email", email, "regions", List.of(1)), Map.of("email", List.of(email)))) {
            String field = body.containsKey("name") ? "name" : body.containsKey("customerId") ? "customerId"
                    : body.containsKey("services") ? "services" : body.containsKey("regions") ? "regions[0]" : "email";
            Api.admin().contentType("application/json").body(body).when().post("/api/subscribers")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors[0].field", org.hamcrest.Matchers.equalTo(field));
        }
        Api.admin().queryParam("email", email).when().get("/api/subscribers").then().statusCode(200)
                .body("totalItems", org.hamcrest.Matchers.equalTo(0));
    }

    @Test
    void listsFilterByWhoWouldHearAboutAServiceOrRegionAndPage() {
        String customer = Api.unique("filter");
        String service = Api.unique("svc");
        String domain = customer + ".example.test";
        UUID all = Api.createSubscriber("all@" + domain, customer, List.of(), List.of());
        Api.createSubscriber("svc@" + domain, customer, List.of(service), List.of("eu-west"));
        Api.createSubscriber("other@" + domain, customer, List.of("other-service"), List.of("us-east"));

        Api.admin().queryParam("customerId", customer).when().get("/api/subscribers")
                .then().statusCode(200).body("totalItems", equalTo(3)).body("items", hasSize(3));
        Api.admin().queryParam("customerId", customer).queryParam("service", service).when().get("/api/subscribers")
                .then().body("items.email", contains("all@" + domain, "svc@" + domain));
        Api.admin().queryParam("customerId", customer).queryParam("region", "us-east").when().get("/api/subscribers")
                .then().body("items.email", contains("all@" + domain, "other@" + domain));
        Api.admin().queryParam("customerId", customer).queryParam("size", 2).queryParam("page", 1).when().get("/api/subscribers")
                .then().body("items", hasSize(1)).body("totalPages", equalTo(2)).body("page", equalTo(1));
        Api.admin().queryParam("customerId", customer).queryParam("status", "active").when().get("/api/subscribers")
                .then().body("items.email", hasItem("svc@" + domain));
        // Following everything, it would hear about every other test's incidents.
        Api.admin().when().delete("/api/subscribers/" + all).then().statusCode(204);
    }

    @Test
    void linksAndLocationsAreRelativeAndNeverTakenFromTheHostHeader() {
        String customer = Api.unique("links");
        String domain = customer + ".example.test";
        for (int i = 0; i < 3; i++) {
            Api.createSubscriber("l" + i + "@" + domain, customer, List.of(Api.unique("links")), List.of());
        }
        Api.admin().header("Host", "evil.example").queryParam("customerId", customer).queryParam("size", 1).queryParam("page", 1)
                .when().get("/api/subscribers")
                .then().statusCode(200)
                .body("links.self", equalTo("/api/subscribers?customerId=" + customer + "&page=1&size=1"))
                .body("links.prev", equalTo("/api/subscribers?customerId=" + customer + "&page=0&size=1"))
                .body("links.next", equalTo("/api/subscribers?customerId=" + customer + "&page=2&size=1"));
        // A service of its own: a subscriber following everything would hear about every other test's incidents.
        Api.admin().header("Host", "evil.example").contentType("application/json")
                .body(Map.of("email", "loc@" + domain, "services", List.of(Api.unique("loc"))))
                .when().post("/api/subscribers")
                .then().statusCode(201).header("Location", matchesPattern("/api/subscribers/[0-9a-f-]{36}"));
    }

    @Test
    void filtersHaveTheFieldsSyntaxes() {
        for (String filter : List.of("service=Bad Service", "region=EU", "customerId==cmd", "email=not-an-address", "status=gone")) {
            String[] pair = filter.split("=", 2);
            Api.admin().queryParam(pair[0], pair[1]).when().get("/api/subscribers")
                    .then().statusCode(400).contentType("application/problem+json").body("errors[0].field", equalTo(pair[0]));
        }
        Api.admin().queryParam("page", "abc").when().get("/api/subscribers").then().statusCode(400).body("errors[0].field", equalTo("page"));
        Api.admin().queryParam("region", "global").when().get("/api/subscribers").then().statusCode(200);
        Api.admin().queryParam("incidentId", "1-2-3-4-5").when().get("/api/deliveries").then().statusCode(400)
                .body("errors[0].field", equalTo("incidentId"));
        Api.admin().queryParam("status", "done").when().get("/api/deliveries").then().statusCode(400)
                .body("errors[0].field", equalTo("status"));
    }

    @Test
    void aLanguageAndTimeZoneAreStoredReturnedAndReplacedWithTheSubscriber() {
        String domain = Api.unique("lang") + ".example.test";
        String service = Api.unique("lang");
        String location = Api.admin().contentType("application/json")
                .body(Map.of("email", "leser@" + domain, "services", List.of(service), "locale", "de", "timeZone", "Europe/Berlin"))
                .when().post("/api/subscribers")
                .then().statusCode(201).body("locale", equalTo("de")).body("timeZone", equalTo("Europe/Berlin"))
                .extract().header("Location");
        String id = location.substring(location.lastIndexOf('/') + 1);
        Api.admin().when().get("/api/subscribers/" + id).then().statusCode(200)
                .body("locale", equalTo("de")).body("timeZone", equalTo("Europe/Berlin"));

        Api.admin().contentType("application/json").body(Map.of("email", "leser@" + domain, "services", List.of(service),
                "locale", "en", "timeZone", "America/New_York"))
                .when().put("/api/subscribers/" + id)
                .then().statusCode(200).body("locale", equalTo("en")).body("timeZone", equalTo("America/New_York"));
        Api.admin().contentType("application/json").body(Map.of("email", "leser@" + domain, "services", List.of(service)))
                .when().put("/api/subscribers/" + id)
                .then().statusCode(200).body("locale", equalTo(null)).body("timeZone", equalTo(null));
    }

    @Test
    void aLanguageOrZoneNoticesCannotBeWrittenInIs422NamingTheFieldAndChangesNothing() {
        String domain = Api.unique("lang422") + ".example.test";
        String service = Api.unique("lang422");
        for (Map<String, Object> wrong : List.<Map<String, Object>>of(Map.of("locale", "fr"), Map.of("locale", "DE"),
                Map.of("locale", "de-DE"), Map.of("timeZone", "Mars/Olympus_Mons"), Map.of("timeZone", "+01:00"),
                Map.of("timeZone", "CEST"))) {
            Map<String, Object> body = new HashMap<>(wrong);
            body.put("email", "new@" + domain);
            Api.admin().contentType("application/json").body(body).when().post("/api/subscribers")
                    .then().statusCode(422).contentType("application/problem+json")
                    .body("errors.field", contains(wrong.keySet().iterator().next()));
        }
        Api.admin().queryParam("email", "new@" + domain).when().get("/api/subscribers").then().body("totalItems", equalTo(0));

        UUID id = Api.createSubscriber("existing@" + domain, List.of(service), List.of());
        Api.admin().contentType("application/json")
                .body(Map.of("email", "existing@" + domain, "services", List.of(service), "locale", "fr", "timeZone", "Nowhere"))
                .when().put("/api/subscribers/" + id)
                .then().statusCode(422).body("errors.field", contains("locale", "timeZone"));
        Api.admin().contentType("application/json").body(Map.of("email", "broken", "locale", "fr"))
                .when().post("/api/subscribers")
                .then().statusCode(400).body("errors.field", contains("email", "locale"));
        Api.admin().when().get("/api/subscribers/" + id).then().body("version", equalTo(1)).body("locale", equalTo(null));
    }

    @Test
    void theDocumentedLanguagesAreTheOnesTheTemplatesExistIn() {
        JsonPath document = RestAssured.given().accept("application/json")
                .when().get("/q/openapi").then().statusCode(200).extract().jsonPath();
        List<String> tags = Language.tags();
        assertThat(document.getList("components.schemas.SubscriberRequest.properties.locale.enum", String.class))
                .containsExactlyElementsOf(tags);
        assertThat(document.getList("components.schemas.Subscriber.properties.locale.enum", String.class))
                .containsExactlyElementsOf(tags);
    }
}

package dev.incidentplatform.notification.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Webhooks;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;

/** /api/webhooks: the secret shown once, the subscribers' conventions, and URLs refused before anything is stored. */
@QuarkusTest
class WebhookApiTest {

    private static final String URL = "http://127.0.0.1:9/hooks/status";

    @Inject
    DataSource dataSource;

    @Test
    void creationAnswersTheEndpointAndItsSecretOnceAndNothingShowsTheSecretAgain() throws Exception {
        String service = Api.unique("api");
        String customer = Api.unique("acme");
        ExtractableResponse<Response> created = Api.admin().contentType("application/json")
                .body(Webhooks.body(URL, "slack", List.of(service), List.of("eu-west"), customer, "ops@acme.example"))
                .when().post("/api/webhooks")
                .then().statusCode(201).body("webhook.format", equalTo("slack")).body("webhook.enabled", equalTo(true))
                .body("webhook.services", equalTo(List.of(service))).body("webhook.regions", equalTo(List.of("eu-west")))
                .body("webhook.customerId", equalTo(customer)).body("webhook.contact", equalTo("ops@acme.example"))
                .body("webhook.disabledAt", nullValue()).body("webhook.failingSince", nullValue())
                .body("webhook.createdBy", equalTo(Api.ADMIN)).body("webhook.version", equalTo(1))
                .extract();
        String id = created.path("webhook.id");
        String secret = created.path("secret");
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=");
        assertThat(created.header("Location")).isEqualTo("/api/webhooks/" + id);
        assertThat(created.header("ETag")).isEqualTo("\"1\"");
        assertThat((Map<String, Object>) created.path("webhook")).doesNotContainKey("secret");

        String read = Api.admin().when().get("/api/webhooks/" + id).then().statusCode(200).header("ETag", "\"1\"")
                .body("url", equalTo(URL)).extract().asString();
        assertThat(read).doesNotContain(secret).doesNotContain("\"secret\"");
        String listed = Api.admin().queryParam("customerId", customer).when().get("/api/webhooks").then().statusCode(200)
                .body("totalItems", equalTo(1)).extract().asString();
        assertThat(listed).doesNotContain(secret).doesNotContain("\"secret\"");
        assertThat(storedSecret(UUID.fromString(id))).startsWith("v1.").doesNotContain(secret.substring(6));
    }

    @Test
    void aRepeatedIdempotencyKeyReplaysTheFirstAnswerWithTheSameSecretAndAnotherRequestWithItIs422() throws Exception {
        String key = UUID.randomUUID().toString();
        String customer = Api.unique("idem");
        // A service of its own, so that this endpoint hears of no other test's incidents.
        Map<String, Object> body = Webhooks.body(URL, "generic", List.of(Api.unique("idem-service")), List.of(), customer, null);
        ExtractableResponse<Response> first = Api.admin().header("Idempotency-Key", key).contentType("application/json")
                .body(body).when().post("/api/webhooks").then().statusCode(201).extract();
        ExtractableResponse<Response> again = Api.admin().header("Idempotency-Key", key).contentType("application/json")
                .body(body).when().post("/api/webhooks").then().statusCode(201).header("Idempotent-Replayed", "true").extract();

        assertThat(again.asString()).isEqualTo(first.asString());
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.header("ETag")).isEqualTo(first.header("ETag"));
        String secret = first.path("secret");
        assertThat(storedAnswer(key)).startsWith("v1.").doesNotContain(secret.substring(6));
        Api.admin().queryParam("customerId", customer).when().get("/api/webhooks")
                .then().statusCode(200).body("totalItems", equalTo(1));

        body.put("format", "teams");
        Api.admin().header("Idempotency-Key", key).contentType("application/json").body(body).when().post("/api/webhooks")
                .then().statusCode(422).contentType("application/problem+json").body("detail", containsString("Idempotency-Key"));
    }

    @Test
    void listsArePagedAndFiltered() {
        String service = Api.unique("paged");
        String customer = Api.unique("lists");
        for (int i = 0; i < 3; i++) {
            Webhooks.create(Webhooks.body(URL + "/" + i, "generic", List.of(service), List.of(), customer, null));
        }
        Webhooks.create(Webhooks.body(URL + "/other", "generic", List.of(Api.unique("other")), List.of(), customer, null));
        UUID disabled = Webhooks.create(Webhooks.body(URL + "/off", "generic", List.of(service), List.of(), customer, null)).id();
        Api.admin().contentType("application/json").body(Map.of("url", URL + "/off", "format", "generic", "services",
                List.of(service), "customerId", customer, "enabled", false)).when().put("/api/webhooks/" + disabled)
                .then().statusCode(200);

        Api.admin().queryParam("customerId", customer).when().get("/api/webhooks")
                .then().statusCode(200).body("totalItems", equalTo(5));
        Api.admin().queryParam("customerId", customer).queryParam("service", service).queryParam("size", 2)
                .when().get("/api/webhooks")
                .then().statusCode(200).body("totalItems", equalTo(4)).body("items.size()", equalTo(2))
                .body("totalPages", equalTo(2)).body("links.next", containsString("page=1"));
        Api.admin().queryParam("customerId", customer).queryParam("status", "disabled").when().get("/api/webhooks")
                .then().statusCode(200).body("totalItems", equalTo(1)).body("items[0].id", equalTo(disabled.toString()));
        Api.admin().queryParam("status", "gone").when().get("/api/webhooks")
                .then().statusCode(400).body("errors.field", hasItem("status"));
        Api.admin().queryParam("size", 0).when().get("/api/webhooks").then().statusCode(400);
    }

    @Test
    void changesAndDeletionsHonourIfMatchAndDisablingAndReEnablingSayWhoAndWhen() {
        Webhooks.Created endpoint = Webhooks.create(URL, "generic", List.of(), null);
        String path = "/api/webhooks/" + endpoint.id();
        Map<String, Object> disable = Map.of("url", URL, "format", "teams", "enabled", false);

        Api.admin().contentType("application/json").header("If-Match", "\"7\"").body(disable).when().put(path)
                .then().statusCode(412).contentType("application/problem+json");
        Api.admin().contentType("application/json").header("If-Match", "seven").body(disable).when().put(path)
                .then().statusCode(400).body("errors.field", hasItem("If-Match"));
        Api.admin().contentType("application/json").header("If-Match", endpoint.etag()).body(disable).when().put(path)
                .then().statusCode(200).header("ETag", "\"2\"").body("format", equalTo("teams")).body("enabled", equalTo(false))
                .body("disabledReason", equalTo("disabled by " + Api.ADMIN)).body("updatedBy", equalTo(Api.ADMIN));
        Api.admin().contentType("application/json").body(Map.of("url", URL, "format", "teams")).when().put(path)
                .then().statusCode(200).body("enabled", equalTo(false)).body("version", equalTo(3));
        Api.admin().contentType("application/json").header("If-Match", "W/\"3\"")
                .body(Map.of("url", URL, "format", "teams", "enabled", true)).when().put(path)
                .then().statusCode(200).body("enabled", equalTo(true)).body("disabledAt", nullValue())
                .body("disabledReason", nullValue());

        Api.admin().header("If-Match", "\"1\"").when().delete(path).then().statusCode(412);
        Api.admin().header("If-Match", "\"4\"").when().delete(path).then().statusCode(204);
        Api.admin().when().get(path).then().statusCode(404).contentType("application/problem+json");
        Api.admin().when().delete(path).then().statusCode(404);
        Api.admin().contentType("application/json").body(disable).when().put(path).then().statusCode(404);
        Api.admin().when().post(path + "/secret").then().statusCode(404);
        Api.admin().when().get("/api/webhooks/not-a-uuid").then().statusCode(404);
    }

    @Test
    void rotationAnswersANewSecretKeepsThePreviousOneValidForADayAndIsIdempotentWithAKey() {
        Webhooks.Created endpoint = Webhooks.create(URL, "generic", List.of(), null);
        String path = "/api/webhooks/" + endpoint.id() + "/secret";

        ExtractableResponse<Response> rotated = Api.admin().header("If-Match", endpoint.etag()).when().post(path)
                .then().statusCode(200).header("ETag", "\"2\"").body("webhook.version", equalTo(2)).extract();
        String secret = rotated.path("secret");
        assertThat(secret).matches("whsec_[A-Za-z0-9+/]{43}=").isNotEqualTo(endpoint.secret());
        Instant expires = Instant.parse(rotated.path("webhook.previousSecretExpiresAt"));
        assertThat(Duration.between(Instant.now(), expires)).isBetween(Duration.ofHours(23), Duration.ofHours(24));
        assertThat((String) rotated.path("webhook.secretRotatedAt")).isNotNull();
        Api.admin().header("If-Match", "\"1\"").when().post(path).then().statusCode(412);

        String key = UUID.randomUUID().toString();
        String once = Api.admin().header("Idempotency-Key", key).when().post(path).then().statusCode(200).extract().path("secret");
        String twice = Api.admin().header("Idempotency-Key", key).when().post(path).then().statusCode(200)
                .header("Idempotent-Replayed", "true").extract().path("secret");
        assertThat(twice).isEqualTo(once);
        Api.admin().when().get("/api/webhooks/" + endpoint.id()).then().body("version", equalTo(3));
    }

    @ParameterizedTest
    @ValueSource(strings = { "https://10.0.0.1/hook", "https://172.20.1.1/", "https://192.168.0.10/",
            "https://169.254.169.254/latest/meta-data/", "https://100.64.1.1/", "https://0.0.0.0/", "https://224.0.0.5/",
            "https://[::1]/", "https://[fe80::1]/", "https://[fc00::1]/", "https://[::ffff:10.0.0.1]/",
            "https://[::ffff:169.254.169.254]/", "https://[::]/" })
    void aUrlLeadingToANonPublicAddressIs422AndNothingIsStored(String url) {
        String customer = Api.unique("ssrf");
        Api.admin().contentType("application/json").body(Webhooks.body(url, "generic", List.of(), List.of(), customer, null))
                .when().post("/api/webhooks")
                .then().statusCode(422).contentType("application/problem+json").body("errors[0].field", equalTo("url"))
                .body("errors[0].reason", containsString("webhooks are sent only to public addresses"));
        Api.admin().queryParam("customerId", customer).when().get("/api/webhooks").then().body("totalItems", equalTo(0));
    }

    @Test
    void plainHttpToAHostNotAllowedIs422AndAChangeIsCheckedToo() {
        Api.admin().contentType("application/json").body(Webhooks.body("http://93.184.215.14/hook", "generic", List.of(),
                List.of(), null, null)).when().post("/api/webhooks")
                .then().statusCode(422).body("errors[0].reason", containsString("must use https"));
        Webhooks.Created endpoint = Webhooks.create(URL, "generic", List.of(), null);
        Api.admin().contentType("application/json").body(Map.of("url", "https://10.1.1.1/", "format", "generic"))
                .when().put("/api/webhooks/" + endpoint.id()).then().statusCode(422);
        Api.admin().when().get("/api/webhooks/" + endpoint.id()).then().body("url", equalTo(URL)).body("version", equalTo(1));
    }

    @Test
    void badFieldsAre400NamingEachField() {
        Api.admin().contentType("application/json").body(Map.of("url", "ftp://files.example.com/", "format", "email",
                "services", List.of("Bad Service"), "contact", "nobody")).when().post("/api/webhooks")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors.field", equalTo(List.of("url", "format", "services", "contact")));
        Api.admin().contentType("application/json").body(Map.of("url", "https://user:pw@hooks.example.com/", "format", "slack"))
                .when().post("/api/webhooks")
                .then().statusCode(400).body("errors[0].reason", equalTo("must not contain a user name or password"));
        Api.admin().contentType("application/json").body(Map.of("url", "https://hooks.example.com/" + "a".repeat(2100),
                "format", "slack")).when().post("/api/webhooks")
                .then().statusCode(400).body("errors[0].reason", containsString("at most 2048"));
        Api.admin().contentType("application/json").body(Map.of("format", "slack")).when().post("/api/webhooks")
                .then().statusCode(400).body("errors[0].field", equalTo("url"));
    }

    private String storedSecret(UUID id) throws SQLException {
        return single("SELECT secret FROM webhook_endpoint WHERE id = ?", id);
    }

    private String storedAnswer(String key) throws SQLException {
        return single("SELECT body FROM idempotency_record WHERE idempotency_key = ?", key);
    }

    private String single(String sql, Object parameter) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setObject(1, parameter);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                return row.getString(1);
            }
        }
    }
}

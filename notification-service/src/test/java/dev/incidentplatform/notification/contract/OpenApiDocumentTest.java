package dev.incidentplatform.notification.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.testsupport.contract.OpenApiRules;
import io.quarkus.test.junit.QuarkusTest;

/** The document a generated client would be built from keeps the rules of OpenApiRules. */
@QuarkusTest
class OpenApiDocumentTest {

    private static String document() {
        return given().queryParam("format", "json").when().get("/q/openapi").then().statusCode(200).extract().asString();
    }

    @Test
    void everyOperationIsNamedTaggedTypedAndItsErrorsAreProblems() {
        assertThat(OpenApiRules.violations(document(), Set.of("/unsubscribe", "/feeds/incidents.atom", "/feeds/incidents.rss",
                "/feeds/incidents.json"))).isEmpty();
    }

    @Test
    void creationAndPagesSayWhatTheyReturn() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(document()).path("paths");
        JsonNode create = paths.path("/api/subscribers").path("post").path("responses").path("201");
        assertThat(create.path("headers").has("Location")).isTrue();
        assertThat(create.path("headers").has("ETag")).isTrue();
        assertThat(paths.path("/api/subscribers/{id}").path("delete").path("responses").has("204")).isTrue();
        assertThat(paths.path("/api/subscribers/import").path("post").path("requestBody").path("content").has("text/csv")).isTrue();
        assertThat(paths.path("/unsubscribe").path("get").path("responses").path("200").path("content").has("text/html")).isTrue();
        assertThat(paths.path("/unsubscribe").path("post").path("responses").has("429")).isTrue();
        JsonNode webhook = paths.path("/api/webhooks").path("post").path("responses");
        assertThat(webhook.path("201").path("headers").has("Location")).isTrue();
        assertThat(webhook.path("201").path("content").path("application/json").path("schema").path("$ref").asText())
                .endsWith("/WebhookWithSecret");
        assertThat(webhook.has("422")).isTrue();
        assertThat(paths.path("/api/webhooks/{id}").path("get").path("responses").path("200").path("content")
                .path("application/json").path("schema").path("$ref").asText()).endsWith("/Webhook");
        assertThat(paths.path("/api/webhooks/{id}/secret").path("post").path("responses").has("200")).isTrue();
    }
}

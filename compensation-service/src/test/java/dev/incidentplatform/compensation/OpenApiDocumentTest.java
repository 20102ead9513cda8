package dev.incidentplatform.compensation;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.testsupport.contract.OpenApiRules;
import io.quarkus.test.junit.QuarkusTest;

/** The document a generated client is built from keeps the rules: ids, tags, named schemas, problems, statuses. */
@QuarkusTest
class OpenApiDocumentTest {

    private static String document() {
        return given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
    }

    @Test
    void theDocumentKeepsTheRulesAGeneratedClientNeeds() {
        // No public endpoints: every operation of this service needs a token.
        assertThat(OpenApiRules.violations(document(), Set.of())).isEmpty();
    }

    @Test
    void creatingOperationsSay201WithLocationAndETagAndTheExportSaysCsv() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(document()).path("paths");
        for (String path : new String[] { "/api/contracts", "/api/contracts/{contractId}/versions", "/api/policies" }) {
            JsonNode created = paths.path(path).path("post").path("responses").path("201");
            assertThat(created.path("headers").has("Location")).as(path).isTrue();
            assertThat(created.path("headers").has("ETag")).as(path).isTrue();
            assertThat(paths.path(path).path("post").path("responses").has("422")).as(path).isTrue();
            assertThat(paths.path(path).path("post").path("responses").has("200")).as(path).isFalse();
        }
        assertThat(paths.path("/api/credits/export").path("get").path("responses").path("200").path("content").has("text/csv"))
                .isTrue();
        assertThat(paths.path("/api/contracts/import").path("post").path("requestBody").path("content").has("text/csv"))
                .isTrue();
    }
}

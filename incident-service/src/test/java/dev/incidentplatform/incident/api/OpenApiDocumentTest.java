package dev.incidentplatform.incident.api;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.testsupport.contract.OpenApiRules;
import io.quarkus.test.junit.QuarkusTest;

/** The document at /q/openapi is one a generated client can trust: the platform's rules and this API's own facts. */
@QuarkusTest
class OpenApiDocumentTest {

    private static String document() {
        return given().when().get("/q/openapi?format=json").then().statusCode(200).extract().asString();
    }

    @Test
    void theDocumentKeepsThePlatformsRules() {
        // No public endpoint: every /api operation needs a token.
        assertThat(OpenApiRules.violations(document(), Set.of())).isEmpty();
    }

    @Test
    void operationIdsAreUniqueCamelCaseVerbPhrases() throws Exception {
        List<String> ids = new ArrayList<>();
        for (Map.Entry<String, JsonNode> operation : operations(new ObjectMapper().readTree(document()))) {
            ids.add(operation.getValue().path("operationId").asText());
        }
        assertThat(ids).doesNotHaveDuplicates().allMatch(id -> id.matches("(get|list|open|post|publish|start)[A-Z][A-Za-z]+"));
    }

    @Test
    void theSuccessStatusesAndHeadersAreTheOnesTheApiAnswers() throws Exception {
        JsonNode paths = new ObjectMapper().readTree(document()).path("paths");
        JsonNode open = paths.path("/api/incidents").path("post").path("responses");
        assertThat(open.has("201")).isTrue();
        assertThat(open.has("200")).isFalse();
        assertThat(open.path("201").path("headers").has("Location")).isTrue();
        assertThat(open.path("201").path("headers").has("ETag")).isTrue();
        assertThat(open.path("201").path("headers").has("Idempotent-Replayed")).isTrue();
        assertThat(open.path("201").path("content").path("application/json").path("schema").path("$ref").asText())
                .endsWith("/IncidentView");
        for (String command : List.of("/api/incidents/{id}/updates", "/api/incidents/{id}/review")) {
            JsonNode responses = paths.path(command).path("post").path("responses");
            assertThat(responses.has("201")).as(command).isTrue();
            assertThat(responses.fieldNames()).toIterable().as(command).contains("409", "412", "422");
        }
        JsonNode rebuild = paths.path("/api/admin/projections/rebuild").path("post").path("responses");
        assertThat(rebuild.has("202")).isTrue();
        assertThat(rebuild.path("202").path("headers").has("Location")).isTrue();
        assertThat(rebuild.has("409")).isTrue();
        assertThat(paths.path("/api/incidents/{id}").path("get").path("responses").path("200").path("headers").has("ETag")).isTrue();
    }

    private static List<Map.Entry<String, JsonNode>> operations(JsonNode root) {
        List<Map.Entry<String, JsonNode>> operations = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = root.path("paths").fields(); paths.hasNext();) {
            Map.Entry<String, JsonNode> path = paths.next();
            path.getValue().fields().forEachRemaining(operations::add);
        }
        return operations;
    }
}

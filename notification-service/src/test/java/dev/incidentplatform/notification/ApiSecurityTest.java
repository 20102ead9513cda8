package dev.incidentplatform.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;

/** Nothing under /api answers without a valid token and a role; the list of endpoints comes from the OpenAPI document. */
@QuarkusTest
class ApiSecurityTest {

    private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");

    @Test
    void everyApiEndpointRejectsMissingForgedAndExpiredTokens() throws Exception {
        List<Map.Entry<String, String>> endpoints = apiEndpoints();
        assertThat(endpoints).isNotEmpty();
        for (Map.Entry<String, String> endpoint : endpoints) {
            call(given(), endpoint).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
            call(given().auth().oauth2(TestTokens.signedByStranger("mallory", "subscriber-admin")), endpoint)
                    .then().statusCode(401);
            call(given().auth().oauth2(TestTokens.expired("alice", "subscriber-admin")), endpoint).then().statusCode(401);
        }
    }

    @Test
    void everyApiEndpointRejectsATokenWithoutAnyOfTheServicesRoles() throws Exception {
        for (Map.Entry<String, String> endpoint : apiEndpoints()) {
            call(given().auth().oauth2(TestTokens.forRoles("bob", "incident-writer")), endpoint)
                    .then().statusCode(403).contentType("application/problem+json");
        }
    }

    @Test
    void aValidTokenSaysWhoTheCallerIs() {
        given().auth().oauth2(TestTokens.forRoles("carol@ops.example", "subscriber-admin"))
                .when().get("/api/me")
                .then().statusCode(200)
                .body("name", equalTo("carol@ops.example"))
                .body("roles", containsInAnyOrder("subscriber-admin"));
    }

    private static io.restassured.response.Response call(RequestSpecification request, Map.Entry<String, String> endpoint) {
        String path = endpoint.getValue().replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
        return request.contentType("application/json").body("{}").when().request(endpoint.getKey().toUpperCase(), path);
    }

    /** (method, path) of every operation the service documents under /api. */
    private static List<Map.Entry<String, String>> apiEndpoints() throws Exception {
        String document = given().accept("application/json").when().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        JsonNode paths = new ObjectMapper().readTree(document).path("paths");
        List<Map.Entry<String, String>> endpoints = new ArrayList<>();
        for (Iterator<String> names = paths.fieldNames(); names.hasNext();) {
            String path = names.next();
            if (path.startsWith("/api/")) {
                for (String method : METHODS) {
                    if (paths.path(path).has(method)) {
                        endpoints.add(Map.entry(method, path));
                    }
                }
            }
        }
        return endpoints;
    }
}

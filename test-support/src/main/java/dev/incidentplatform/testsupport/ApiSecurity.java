package dev.incidentplatform.testsupport;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * Checks that nothing under /api answers without a valid token and one of the service's roles. The endpoints come
 * from the service's own OpenAPI document, so an endpoint added later is covered without touching the test.
 */
public final class ApiSecurity {

    private static final List<String> METHODS = List.of("get", "post", "put", "delete", "patch");

    private ApiSecurity() {
    }

    /**
     * Every endpoint answers 401 problem+json without a token, and with one that is forged, expired, meant for another
     * audience, issued in the future or living longer than the services accept.
     */
    public static void assertEveryEndpointRejectsMissingForgedAndExpiredTokens(String aRoleOfTheService) {
        List<Map.Entry<String, String>> endpoints = apiEndpoints();
        assertThat(endpoints).as("operations under /api in /q/openapi").isNotEmpty();
        for (Map.Entry<String, String> endpoint : endpoints) {
            call(given(), endpoint).then().statusCode(401)
                    .contentType("application/problem+json").header("WWW-Authenticate", "Bearer");
            call(given().auth().oauth2(TestTokens.signedByStranger("mallory", aRoleOfTheService)), endpoint)
                    .then().statusCode(401);
            call(given().auth().oauth2(TestTokens.expired("alice", aRoleOfTheService)), endpoint).then().statusCode(401);
            call(given().auth().oauth2(TestTokens.forAnotherAudience("alice", aRoleOfTheService)), endpoint).then().statusCode(401);
            call(given().auth().oauth2(TestTokens.issuedInTheFuture("alice", aRoleOfTheService)), endpoint).then().statusCode(401);
            call(given().auth().oauth2(TestTokens.livingTooLong("alice", aRoleOfTheService)), endpoint).then().statusCode(401);
        }
    }

    /** Every endpoint answers 403 problem+json to a valid token that carries only another service's role. */
    public static void assertEveryEndpointForbidsTheRole(String aRoleOfAnotherService) {
        List<Map.Entry<String, String>> endpoints = apiEndpoints();
        assertThat(endpoints).as("operations under /api in /q/openapi").isNotEmpty();
        for (Map.Entry<String, String> endpoint : endpoints) {
            call(given().auth().oauth2(TestTokens.forRoles("bob", aRoleOfAnotherService)), endpoint)
                    .then().statusCode(403).contentType("application/problem+json");
        }
    }

    private static Response call(RequestSpecification request, Map.Entry<String, String> endpoint) {
        String path = endpoint.getValue().replaceAll("\\{[^}]+}", "00000000-0000-0000-0000-000000000000");
        return request.contentType("application/json").body("{}").when().request(endpoint.getKey().toUpperCase(), path);
    }

    /** (method, path) of every operation the service documents under /api. */
    static List<Map.Entry<String, String>> apiEndpoints() {
        String document = given().accept("application/json").when().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString();
        JsonNode paths;
        try {
            paths = new ObjectMapper().readTree(document).path("paths");
        } catch (IOException e) {
            throw new UncheckedIOException("Unreadable OpenAPI document", e);
        }
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

package dev.incidentplatform.incident;

import static io.restassured.RestAssured.given;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.incidentplatform.testsupport.TestTokens;
import io.restassured.specification.RequestSpecification;

/** Requests of the tests: tokens for the service's roles and request bodies. */
public final class Api {

    public static final String WRITER = "commander@ops.example";

    private Api() {
    }

    public static RequestSpecification writer() {
        return given().auth().oauth2(TestTokens.forRoles(WRITER, "incident-writer")).contentType("application/json");
    }

    public static RequestSpecification reader() {
        return given().auth().oauth2(TestTokens.forRoles("viewer@ops.example", "incident-reader"));
    }

    public static Map<String, Object> component(String service, String status, String... regions) {
        return Map.of("service", service, "regions", List.of(regions), "status", status);
    }

    public static Map<String, Object> openBody(String title, List<Map<String, Object>> components) {
        return new java.util.LinkedHashMap<>(Map.of("title", title, "severity", "SEV1", "message", "We are investigating.",
                "components", new ArrayList<>(components)));
    }

    public static Map<String, Object> openBody() {
        return openBody("VMs crash on boot after a faulty sensor update",
                List.of(component("azure-vms", "major_outage", "global"), component("teams", "partial_outage", "eu-west", "us-east")));
    }

    /** Opens an incident and returns its id. */
    public static String open() {
        return open(openBody());
    }

    public static String open(Map<String, Object> body) {
        String location = writer().body(body).when().post("/api/incidents").then().statusCode(201).extract().header("Location");
        return location.substring(location.lastIndexOf('/') + 1);
    }

    public static void update(String id, String status, String message) {
        writer().body(Map.of("status", status, "message", message)).when().post("/api/incidents/" + id + "/updates")
                .then().statusCode(201);
    }
}

package dev.incidentplatform.notification.support;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.incidentplatform.testsupport.TestTokens;
import io.restassured.specification.RequestSpecification;

/** The service's REST API as a subscriber admin calls it. */
public final class Api {

    public static final String ADMIN = "admin@ops.example";
    /** What the import reads. REST Assured would otherwise append its default charset=ISO-8859-1, which is 415. */
    public static final String CSV = "text/csv; charset=UTF-8";

    private Api() {
    }

    public static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.forRoles(ADMIN, "subscriber-admin"));
    }

    public static UUID createSubscriber(String email, List<String> services, List<String> regions) {
        return createSubscriber(email, null, services, regions);
    }

    public static UUID createSubscriber(String email, String customerId, List<String> services, List<String> regions) {
        Map<String, Object> body = new java.util.HashMap<>();
        body.put("email", email);
        body.put("name", "Test " + email);
        body.put("customerId", customerId);
        body.put("services", services);
        body.put("regions", regions);
        String id = admin().contentType("application/json").body(body)
                .when().post("/api/subscribers")
                .then().statusCode(201).extract().path("id");
        return UUID.fromString(id);
    }

    /** A unique mail domain (and service name) per test, so tests sharing one application never see each other. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

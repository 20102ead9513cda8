package dev.incidentplatform.compensation;

import static io.restassured.RestAssured.given;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.incidentplatform.testsupport.TestTokens;
import io.restassured.specification.RequestSpecification;

/** Calls to the service's REST API as a billing admin or auditor. */
public final class Api {

    private Api() {
    }

    public static RequestSpecification admin() {
        return given().auth().oauth2(TestTokens.forRoles("admin@billing.example", "billing-admin"));
    }

    public static RequestSpecification auditor() {
        return given().auth().oauth2(TestTokens.forRoles("auditor@billing.example", "billing-auditor"));
    }

    /** Creates a contract and returns its id. */
    public static UUID contract(String customerId, String service, List<String> regions, String amount, String currency,
            String policyId, String effectiveFrom) {
        String id = admin().contentType("application/json")
                .body(Map.of("customerId", customerId, "service", service, "regions", regions,
                        "monthlyFee", Map.of("amount", amount, "currency", currency), "policyId", policyId,
                        "effectiveFrom", effectiveFrom))
                .when().post("/api/contracts")
                .then().statusCode(201).extract().path("contractId");
        return UUID.fromString(id);
    }

    /** A service name no other test uses, so tests sharing the application and database do not see each other. */
    public static String uniqueService(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}

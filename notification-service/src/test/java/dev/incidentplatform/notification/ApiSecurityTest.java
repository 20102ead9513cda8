package dev.incidentplatform.notification;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.equalTo;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.ApiSecurity;
import dev.incidentplatform.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** Nothing under /api answers without a valid token and a role; the list of endpoints comes from the OpenAPI document. */
@QuarkusTest
class ApiSecurityTest {

    @Test
    void everyApiEndpointRejectsMissingForgedAndExpiredTokens() {
        ApiSecurity.assertEveryEndpointRejectsMissingForgedAndExpiredTokens("subscriber-admin");
    }

    @Test
    void everyApiEndpointRejectsATokenWithoutAnyOfTheServicesRoles() {
        ApiSecurity.assertEveryEndpointForbidsTheRole("incident-writer");
    }

    @Test
    void aValidTokenSaysWhoTheCallerIs() {
        given().auth().oauth2(TestTokens.forRoles("carol@ops.example", "subscriber-admin"))
                .when().get("/api/me")
                .then().statusCode(200)
                .body("name", equalTo("carol@ops.example"))
                .body("roles", containsInAnyOrder("subscriber-admin"));
    }
}

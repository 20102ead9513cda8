package dev.incidentplatform.testsupport.contract;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import io.restassured.RestAssured;

/**
 * Installs {@link OpenApiValidationFilter} on every REST Assured call of the test JVM, so that no test of a service can
 * pass on a response its OpenAPI document does not describe.
 */
public class OpenApiContractResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        if (RestAssured.filters().stream().noneMatch(OpenApiValidationFilter.class::isInstance)) {
            RestAssured.filters(new OpenApiValidationFilter());
        }
        return Map.of();
    }

    @Override
    public void stop() {
    }
}

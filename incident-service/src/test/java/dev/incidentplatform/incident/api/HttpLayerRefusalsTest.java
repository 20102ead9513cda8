package dev.incidentplatform.incident.api;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.TestTokens;
import dev.incidentplatform.testsupport.contract.HttpLayerRefusals;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class HttpLayerRefusalsTest {

    @TestHTTPResource("/")
    URI base;

    @Test
    void everyRefusalOfTheHttpLayerIsAProblem() {
        HttpLayerRefusals.assertAllAreProblems(base, TestTokens.forRoles("commander@ops.example", "incident-writer",
                "incident-reader"), "/api/incidents", 256 * 1024, "/api/incidents");
    }

    @Test
    void aSlowRequestHeadIsCutOff() {
        // The test profile's platform.http.request-head-timeout.
        HttpLayerRefusals.assertSlowRequestHeadIsCutOff(base, Duration.ofSeconds(2));
    }
}

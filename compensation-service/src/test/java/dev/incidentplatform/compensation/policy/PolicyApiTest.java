package dev.incidentplatform.compensation.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.compensation.Api;
import io.quarkus.test.junit.QuarkusTest;

/** Policies over REST: the four shipped ones, a new version, validation; nothing stored on a 400. */
@QuarkusTest
class PolicyApiTest {

    @Inject
    DataSource dataSource;

    @Test
    void theShippedPoliciesExist() {
        Api.auditor().when().get("/api/policies").then().statusCode(200)
                .body("items.policyId", hasItems("azure-vm-99.99", "azure-99.9", "m365-99.9", "extension-99.9"));
        Api.auditor().when().get("/api/policies/azure-vm-99.99").then().statusCode(200)
                .body("[0].kind", equalTo("money"))
                .body("[0].tiers.belowUptimePercent", equalTo(List.of(99.99f, 99, 95)))
                .body("[0].tiers.creditPercent", equalTo(List.of(10, 25, 100)));
        Api.auditor().when().get("/api/policies/extension-99.9/versions/1").then().statusCode(200)
                .body("tiers.extensionDays", equalTo(List.of(3, 7, 30)));
        Api.auditor().when().get("/api/policies/gold").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aNewVersionIsAppendedAndValidated() throws SQLException {
        String id = "custom-" + UUID.randomUUID().toString().substring(0, 8);
        Api.admin().contentType("application/json").body(Map.of("policyId", id, "kind", "money", "effectiveFrom", "2024-01",
                "tiers", List.of(Map.of("belowUptimePercent", 99.5, "creditPercent", 12.5), Map.of("belowUptimePercent", 98, "creditPercent", 30))))
                .when().post("/api/policies").then().statusCode(201)
                .header("Location", org.hamcrest.Matchers.endsWith("/api/policies/" + id + "/versions/1"))
                .body("version", equalTo(1)).body("recordedBy", equalTo("admin@billing.example"));
        Api.admin().contentType("application/json").body(Map.of("policyId", id, "kind", "money", "effectiveFrom", "2025-01",
                "tiers", List.of(Map.of("belowUptimePercent", 99.5, "creditPercent", 15))))
                .when().post("/api/policies").then().statusCode(201).body("version", equalTo(2));

        long before = count();
        record Bad(String field, Map<String, Object> body) {
        }
        for (Bad bad : List.of(
                new Bad("tiers[1].belowUptimePercent", Map.of("policyId", id, "kind", "money", "tiers",
                        List.of(Map.of("belowUptimePercent", 99, "creditPercent", 10), Map.of("belowUptimePercent", 99.5, "creditPercent", 25)))),
                new Bad("tiers[0].creditPercent", Map.of("policyId", id, "kind", "money", "tiers",
                        List.of(Map.of("belowUptimePercent", 99, "creditPercent", 0)))),
                new Bad("tiers[0].creditPercent", Map.of("policyId", id, "kind", "money", "tiers",
                        List.of(Map.of("belowUptimePercent", 99, "creditPercent", 120)))),
                new Bad("tiers[0].extensionDays", Map.of("policyId", id + "-ext", "kind", "extension", "tiers",
                        List.of(Map.of("belowUptimePercent", 99, "extensionDays", 0)))),
                new Bad("kind", Map.of("policyId", id, "kind", "extension", "tiers",
                        List.of(Map.of("belowUptimePercent", 99, "extensionDays", 2)))),
                new Bad("kind", Map.of("policyId", id, "kind", "voucher", "tiers", List.of())),
                new Bad("tiers", Map.of("policyId", id, "kind", "money", "tiers", List.of())),
                new Bad("policyId", Map.of("policyId", "Gold Plan", "kind", "money", "tiers",
                        List.of(Map.of("belowUptimePercent", 99, "creditPercent", 10)))),
                new Bad("effectiveFrom", Map.of("policyId", id, "kind", "money", "effectiveFrom", "2024-13", "tiers",
                        List.of(Map.of("belowUptimePercent", 99, "creditPercent", 10)))))) {
            Api.admin().contentType("application/json").body(bad.body()).when().post("/api/policies").then()
                    .statusCode(400).contentType("application/problem+json").body("errors.field", hasItem(bad.field()));
        }
        assertThat(count()).isEqualTo(before);
        Api.auditor().contentType("application/json").body(Map.of("policyId", id, "kind", "money", "tiers",
                List.of(Map.of("belowUptimePercent", 99, "creditPercent", 10)))).when().post("/api/policies").then().statusCode(403);
    }

    private long count() throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("SELECT count(*) FROM policy_version");
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

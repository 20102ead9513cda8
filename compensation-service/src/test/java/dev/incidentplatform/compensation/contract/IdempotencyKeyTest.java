package dev.incidentplatform.compensation.contract;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.compensation.Api;
import dev.incidentplatform.testsupport.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * A billing admin whose client lost an answer sends the request again with the same Idempotency-Key: the first answer
 * comes back and nothing is created twice (a second contract would mean a second credit).
 */
@QuarkusTest
class IdempotencyKeyTest {

    @Inject
    DataSource dataSource;

    @Test
    void aRetriedCreateGetsTheFirstAnswerAndMakesNoSecondContract() throws SQLException {
        String customer = "retry-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        String body = "{\"customerId\":\"" + customer + "\",\"service\":\"teams\",\"regions\":[\"eu-west\"],"
                + "\"monthlyFee\":{\"amount\":\"100.00\",\"currency\":\"USD\"},\"policyId\":\"m365-99.9\",\"effectiveFrom\":\"2024-07\"}";
        // The same request, other spacing and key order.
        String again = "{ \"policyId\": \"m365-99.9\", \"effectiveFrom\": \"2024-07\", \"customerId\": \"" + customer + "\","
                + " \"service\": \"teams\", \"monthlyFee\": {\"currency\": \"USD\", \"amount\": \"100.00\"}, \"regions\": [\"eu-west\"] }";

        Response first = Api.admin().header("Idempotency-Key", key).contentType("application/json").body(body)
                .when().post("/api/contracts").then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .extract().response();
        String id = first.path("contractId");
        Api.admin().header("Idempotency-Key", key).contentType("application/json").body(again)
                .when().post("/api/contracts").then().statusCode(201)
                .header("Idempotent-Replayed", "true")
                .header("Location", endsWith("/api/contracts/" + id))
                // The same bytes as the first answer, so the same validator.
                .header("ETag", equalTo(first.header("ETag")))
                .body("contractId", equalTo(id)).body("versions[0].monthlyFee.amount", equalTo("100.00"));

        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(1);
        // Without a key, a second POST is a second contract: the customer may well hold two.
        Api.admin().contentType("application/json").body(body).when().post("/api/contracts").then().statusCode(201);
        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(2);
    }

    @Test
    void theSameKeyWithAnotherRequestIs422AndChangesNothing() throws SQLException {
        String customer = "reuse-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Api.admin().header("Idempotency-Key", key).contentType("application/json").body(contract(customer, "100.00"))
                .when().post("/api/contracts").then().statusCode(201);

        Api.admin().header("Idempotency-Key", key).contentType("application/json").body(contract(customer, "200.00"))
                .when().post("/api/contracts").then().statusCode(422).contentType("application/problem+json")
                .body("title", equalTo("Unprocessable Content"))
                .body("detail", org.hamcrest.Matchers.containsString("different request"));
        // Another path with the same key is another request too.
        Api.admin().header("Idempotency-Key", key).contentType("text/csv")
                .body("customerId,service,regions,amount,currency,policyId,effectiveFrom\n" + customer + ",teams,global,1.00,USD,m365-99.9,2024-07\n")
                .when().post("/api/contracts/import").then().statusCode(422);
        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(1);
    }

    @Test
    void keysBelongToTheCallerAndMustBeWellFormed() throws SQLException {
        String customer = "callers-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        Api.admin().header("Idempotency-Key", key).contentType("application/json").body(contract(customer, "100.00"))
                .when().post("/api/contracts").then().statusCode(201);
        given().auth().oauth2(TestTokens.forRoles("second-admin@billing.example", "billing-admin"))
                .header("Idempotency-Key", key).contentType("application/json").body(contract(customer, "100.00"))
                .when().post("/api/contracts").then().statusCode(201).header("Idempotent-Replayed", nullValue())
                .body("createdBy", equalTo("second-admin@billing.example"));
        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(2);

        for (String bad : List.of("with space", "x".repeat(256), "caf\u00e9", "tab\there")) {
            Response answer = Api.admin().header("Idempotency-Key", bad).contentType("application/json")
                    .body(contract(customer, "100.00")).when().post("/api/contracts");
            assertThat(answer.statusCode()).as("Idempotency-Key '%s'", bad).isEqualTo(400);
            answer.then().contentType("application/problem+json").body("errors.field", hasItem("Idempotency-Key"));
        }
        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(2);
    }

    @Test
    void aRetriedImportIsAnsweredFromTheFirstAndImportsNothingAgain() throws SQLException {
        String customer = "import-retry-" + UUID.randomUUID();
        String key = UUID.randomUUID().toString();
        StringBuilder csv = new StringBuilder("customerId,service,regions,amount,currency,policyId,effectiveFrom\n");
        for (int i = 0; i < 500; i++) {
            csv.append(customer).append(",teams,eu-west,").append(i + 1).append(".00,USD,m365-99.9,2024-07\n");
        }
        Api.admin().header("Idempotency-Key", key).contentType("text/csv").body(csv.toString())
                .when().post("/api/contracts/import").then().statusCode(200).body("imported", equalTo(500));
        Api.admin().header("Idempotency-Key", key).contentType("text/csv").body(csv.toString())
                .when().post("/api/contracts/import").then().statusCode(200).header("Idempotent-Replayed", "true")
                .body("imported", equalTo(500));
        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(500);

        // The same key with one line changed is another request.
        Api.admin().header("Idempotency-Key", key).contentType("text/csv").body(csv.toString().replace(",1.00,", ",1.50,"))
                .when().post("/api/contracts/import").then().statusCode(422);
        // A refused import stores no answer: the corrected file may be sent with the same key.
        String badKey = UUID.randomUUID().toString();
        String bad = "customerId,service,regions,amount,currency,policyId,effectiveFrom\n" + customer + "-b,teams,eu-west,-1,USD,m365-99.9,2024-07\n";
        Api.admin().header("Idempotency-Key", badKey).contentType("text/csv").body(bad)
                .when().post("/api/contracts/import").then().statusCode(400);
        Api.admin().header("Idempotency-Key", badKey).contentType("text/csv").body(bad.replace(",-1,", ",1,"))
                .when().post("/api/contracts/import").then().statusCode(200).body("imported", equalTo(1));
        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(500);
    }

    @Test
    void aRetriedContractChangeOrPolicyVersionAppendsOneVersion() throws SQLException {
        UUID id = Api.contract("change-" + UUID.randomUUID(), "teams", List.of("global"), "10.00", "USD", "m365-99.9", "2024-01");
        String key = UUID.randomUUID().toString();
        Map<String, Object> change = Map.of("regions", List.of("eu-west"), "monthlyFee", Map.of("amount", "12.00", "currency", "USD"),
                "policyId", "m365-99.9", "effectiveFrom", "2024-03");
        for (int attempt = 0; attempt < 2; attempt++) {
            Api.admin().header("Idempotency-Key", key).contentType("application/json").body(change)
                    .when().post("/api/contracts/" + id + "/versions").then().statusCode(201)
                    .header("Location", endsWith("/api/contracts/" + id + "?version=2"));
        }
        assertThat(count("SELECT count(*) FROM contract_version WHERE contract_id = '" + id + "'")).isEqualTo(2);

        String policy = "retry-" + UUID.randomUUID().toString().substring(0, 8);
        String policyKey = UUID.randomUUID().toString();
        Map<String, Object> version = Map.of("policyId", policy, "kind", "money", "effectiveFrom", "2024-01",
                "tiers", List.of(Map.of("belowUptimePercent", 99.5, "creditPercent", 10)));
        for (int attempt = 0; attempt < 2; attempt++) {
            Api.admin().header("Idempotency-Key", policyKey).contentType("application/json").body(version)
                    .when().post("/api/policies").then().statusCode(201).body("version", equalTo(1));
        }
        assertThat(count("SELECT count(*) FROM policy_version WHERE policy_id = '" + policy + "'")).isEqualTo(1);
    }

    @Test
    void retriesRacingTheFirstRequestMakeOneContract() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            for (int round = 0; round < 5; round++) {
                String customer = "race-" + UUID.randomUUID();
                String key = UUID.randomUUID().toString();
                CyclicBarrier start = new CyclicBarrier(4);
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 4; i++) {
                    Callable<Integer> post = () -> {
                        start.await();
                        return Api.admin().header("Idempotency-Key", key).contentType("application/json")
                                .body(contract(customer, "100.00")).when().post("/api/contracts").statusCode();
                    };
                    answers.add(pool.submit(post));
                }
                List<Integer> statuses = new ArrayList<>();
                for (Future<Integer> answer : answers) {
                    statuses.add(answer.get());
                }
                // Each is either the answer (201, first or replayed) or "answered meanwhile, send it again" (409).
                assertThat(statuses).allMatch(s -> s == 201 || s == 409).contains(201);
                assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "'")).isEqualTo(1);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    private static String contract(String customer, String amount) {
        return "{\"customerId\":\"" + customer + "\",\"service\":\"teams\",\"regions\":[\"global\"],"
                + "\"monthlyFee\":{\"amount\":\"" + amount + "\",\"currency\":\"USD\"},\"policyId\":\"m365-99.9\",\"effectiveFrom\":\"2024-07\"}";
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

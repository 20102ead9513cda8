package dev.incidentplatform.compensation.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;

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
import io.restassured.path.json.JsonPath;

/** Contracts over REST: created, versioned, listed, imported; every bad input a 400 that stores nothing. */
@QuarkusTest
class ContractApiTest {

    @Inject
    DataSource dataSource;

    @Test
    void aContractIsCreatedReadAndChangedFromAMonthOn() {
        String customer = "contoso-" + UUID.randomUUID();
        UUID id = Api.contract(customer, "teams", List.of("us-east", "eu-west"), "1250.00", "USD", "m365-99.9", "2024-07");
        Api.auditor().when().get("/api/contracts/" + id).then().statusCode(200)
                .body("customerId", equalTo(customer))
                .body("createdBy", equalTo("admin@billing.example"))
                .body("versions[0].regions", equalTo(List.of("eu-west", "us-east")))
                .body("versions[0].monthlyFee.amount", equalTo("1250.00"))
                .body("versions[0].monthlyFee.currency", equalTo("USD"))
                .body("versions[0].effectiveFrom", equalTo("2024-07"));

        Api.admin().contentType("application/json").body(Map.of("regions", List.of("global"),
                "monthlyFee", Map.of("amount", "1500.00", "currency", "USD"), "policyId", "azure-99.9", "effectiveFrom", "2024-09"))
                .when().post("/api/contracts/" + id + "/versions").then().statusCode(201)
                .body("versions.size()", equalTo(2))
                .body("versions[1].version", equalTo(2))
                .body("versions[1].effectiveFrom", equalTo("2024-09"))
                .body("versions[0].monthlyFee.amount", equalTo("1250.00"));

        Api.auditor().queryParam("customerId", customer).when().get("/api/contracts").then().statusCode(200)
                .body("totalItems", equalTo(1)).body("items[0].contractId", equalTo(id.toString()));
    }

    @Test
    void badContractsAreRefusedWithTheFieldAndNothingIsStored() throws SQLException {
        long before = count("SELECT count(*) FROM contract_version");
        Map<String, Object> valid = Map.of("customerId", "c-1", "service", "teams", "regions", List.of("eu-west"),
                "monthlyFee", Map.of("amount", "100.00", "currency", "USD"), "policyId", "azure-99.9");
        record Bad(String field, Map<String, Object> change) {
        }
        List<Bad> cases = List.of(
                new Bad("policyId", Map.of("policyId", "gold-99.999")),
                new Bad("monthlyFee.currency", Map.of("monthlyFee", Map.of("amount", "100.00", "currency", "XYZ"))),
                new Bad("monthlyFee.currency", Map.of("monthlyFee", Map.of("amount", "100.00", "currency", "usd"))),
                new Bad("monthlyFee.amount", Map.of("monthlyFee", Map.of("amount", "-100.00", "currency", "USD"))),
                new Bad("monthlyFee.amount", Map.of("monthlyFee", Map.of("amount", "0", "currency", "USD"))),
                new Bad("monthlyFee.amount", Map.of("monthlyFee", Map.of("amount", "a lot", "currency", "USD"))),
                new Bad("monthlyFee.amount", Map.of("monthlyFee", Map.of("amount", "100.001", "currency", "USD"))),
                new Bad("monthlyFee.amount", Map.of("monthlyFee", Map.of("amount", "100.5", "currency", "JPY"))),
                new Bad("regions", Map.of("regions", List.of())),
                new Bad("regions", Map.of("regions", List.of("global", "eu-west"))),
                new Bad("regions", Map.of("regions", List.of("EU West"))),
                new Bad("effectiveFrom", Map.of("effectiveFrom", "2024-13")),
                new Bad("service", Map.of("service", "")),
                new Bad("customerId", Map.of("customerId", "")));
        for (Bad bad : cases) {
            Map<String, Object> body = new java.util.HashMap<>(valid);
            body.putAll(bad.change());
            Api.admin().contentType("application/json").body(body).when().post("/api/contracts")
                    .then().statusCode(400).contentType("application/problem+json")
                    .body("errors.field", hasItem(bad.field()))
                    .body("detail", startsWith("Invalid contract"));
        }
        // A fee as a JSON number (not a decimal string) and malformed JSON are refused too.
        Api.admin().contentType("application/json").body("{\"customerId\":\"c\",\"service\":\"teams\",\"regions\":[\"global\"],"
                + "\"monthlyFee\":{\"amount\":100.5,\"currency\":\"USD\"},\"policyId\":\"azure-99.9\"}")
                .when().post("/api/contracts").then().statusCode(400).contentType("application/problem+json");
        Api.admin().contentType("application/json").body("{\"customerId\":").when().post("/api/contracts")
                .then().statusCode(400).contentType("application/problem+json");
        assertThat(count("SELECT count(*) FROM contract_version")).isEqualTo(before);
    }

    @Test
    void unknownContractsAre404AndACurrencyCannotChange() throws SQLException {
        Api.auditor().when().get("/api/contracts/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        Api.admin().contentType("application/json").body(Map.of("regions", List.of("global"),
                "monthlyFee", Map.of("amount", "1.00", "currency", "USD"), "policyId", "azure-99.9"))
                .when().post("/api/contracts/" + UUID.randomUUID() + "/versions").then().statusCode(404);
        UUID id = Api.contract("c-" + UUID.randomUUID(), "teams", List.of("global"), "10.00", "USD", "azure-99.9", "2024-01");
        long before = count("SELECT count(*) FROM contract_version");
        Api.admin().contentType("application/json").body(Map.of("regions", List.of("global"),
                "monthlyFee", Map.of("amount", "10.00", "currency", "EUR"), "policyId", "azure-99.9"))
                .when().post("/api/contracts/" + id + "/versions").then().statusCode(400)
                .body("errors.field", hasItem("monthlyFee.currency"));
        assertThat(count("SELECT count(*) FROM contract_version")).isEqualTo(before);
    }

    @Test
    void listsRefuseUnknownFiltersAndBadPaging() {
        Api.auditor().queryParam("custmerId", "x").when().get("/api/contracts").then().statusCode(400)
                .body("errors.field", hasItem("custmerId"));
        Api.auditor().queryParam("size", 0).when().get("/api/contracts").then().statusCode(400);
        Api.auditor().queryParam("page", -1).when().get("/api/contracts").then().statusCode(400);
    }

    @Test
    void aCsvImportStoresEveryLineOrNone() throws SQLException {
        String customer = "csv-" + UUID.randomUUID();
        String good = "customerId,service,regions,amount,currency,policyId,effectiveFrom\n"
                + customer + ",teams,eu-west;us-east,100.00,USD,m365-99.9,2024-07\n"
                + "\"" + customer + "\",exchange-online,global,250,JPY,azure-99.9,2024-07\n"
                + customer + ",azure-virtual-machines,global,99.95,EUR,extension-99.9,\n";
        Api.admin().contentType("text/csv").body(good).when().post("/api/contracts/import").then().statusCode(200)
                .body("imported", equalTo(3));
        JsonPath listed = Api.auditor().queryParam("customerId", customer).when().get("/api/contracts").then().statusCode(200)
                .extract().jsonPath();
        assertThat(listed.getInt("totalItems")).isEqualTo(3);
        assertThat(listed.getString("items.versions.regions")).contains("[eu-west, us-east]").contains("[global]");

        String bad = "customerId,service,regions,amount,currency,policyId,effectiveFrom\n"
                + customer + "-2,teams,eu-west,100.00,USD,m365-99.9,2024-07\n"
                + customer + "-2,teams,eu-west,-1,USD,m365-99.9,2024-07\n"
                + customer + "-2,teams,,100.00,USD,m365-99.9,2024-07\n"
                + customer + "-2,teams,eu-west,100.00,USD,nope,2024-13\n"
                + customer + "-2,teams,eu-west,100.00,USD\n";
        JsonPath refused = Api.admin().contentType("text/csv").body(bad).when().post("/api/contracts/import").then()
                .statusCode(400).contentType("application/problem+json").extract().jsonPath();
        assertThat(refused.getLong("errorCount")).isEqualTo(4);
        assertThat(refused.getList("errors.field")).containsExactly("line 3", "line 4", "line 5", "line 6");
        assertThat(refused.getString("errors[0].reason")).contains("monthlyFee.amount");
        assertThat(refused.getString("errors[2].reason")).contains("policyId").contains("effectiveFrom");
        assertThat(refused.getString("errors[3].reason")).contains("expected 7 columns");
        assertThat(count("SELECT count(*) FROM contract WHERE customer_id = '" + customer + "-2'")).isZero();

        Api.admin().contentType("text/csv").body("customer,service,regions,amount,currency,policy,from\nx,teams,global,1.00,USD,azure-99.9,2024-01\n")
                .when().post("/api/contracts/import").then().statusCode(400).body("errors[0].field", equalTo("header"));
        Api.admin().contentType("application/json").body("{}").when().post("/api/contracts/import").then().statusCode(415)
                .contentType("application/problem+json");
    }

    @Test
    void aCreatedContractIsLocatedRelativelyWhateverTheHostHeaderSays() {
        String customer = "host-" + UUID.randomUUID();
        var created = Api.admin().header("Host", "evil.example").contentType("application/json")
                .body(Map.of("customerId", customer, "service", "teams", "regions", List.of("global"),
                        "monthlyFee", Map.of("amount", "10.00", "currency", "USD"), "policyId", "azure-99.9"))
                .when().post("/api/contracts").then().statusCode(201).extract();
        String id = created.path("contractId");
        assertThat(created.header("Location")).isEqualTo("/api/contracts/" + id);
        assertThat(created.header("ETag")).matches("\"[0-9a-f]{32}\"");
    }

    @Test
    void csvThatCannotBeParsedIsNamedByLineInOurWordsAndOnlyCsvIsRead() throws SQLException {
        long before = count("SELECT count(*) FROM contract");
        String header = "customerId,service,regions,amount,currency,policyId,effectiveFrom\n";
        String good = "csv-quote,teams,global,1.00,USD,azure-99.9,2024-07\n";
        JsonPath unclosed = Api.admin().contentType("text/csv").body(header + good + "\"csv-quote,teams,global\n")
                .when().post("/api/contracts/import").then().statusCode(400).contentType("application/problem+json")
                .extract().jsonPath();
        assertThat(unclosed.getString("detail")).contains("not RFC 4180 CSV at line 3: unclosed quote")
                .doesNotContain("CSVException").doesNotContain("IOException").doesNotContain("EOF reached");
        assertThat(unclosed.getLong("errors[0].line")).isEqualTo(3);
        Api.admin().contentType("text/csv").body(header + "\"csv\"x\",teams,global,1.00,USD,azure-99.9,2024-07\n")
                .when().post("/api/contracts/import").then().statusCode(400)
                .body("detail", org.hamcrest.Matchers.containsString("at line 2: a quote inside a quoted field must be doubled"));
        Api.admin().contentType("text/csv; charset=UTF-8").body("\uFEFF" + header + good).when().post("/api/contracts/import").then()
                .statusCode(400).body("errors[0].field", equalTo("body"));
        for (String type : List.of("text/csvx", "application/csv+json", "text/csv; charset=utf-16")) {
            Api.admin().contentType(type).body(header + good).when().post("/api/contracts/import").then().statusCode(415)
                    .contentType("application/problem+json");
        }
        assertThat(count("SELECT count(*) FROM contract")).isEqualTo(before);
    }

    @Test
    void theAuditApiRefusesUnknownFilterValues() {
        for (Map<String, String> filter : List.of(Map.of("month", "2024-13"), Map.of("month", "July"), Map.of("kind", "bonus"),
                Map.of("incidentId", "not-a-uuid"), Map.of("status", "paid"), Map.of("colour", "red"))) {
            Api.auditor().queryParams(filter).when().get("/api/credits").then().statusCode(400)
                    .contentType("application/problem+json").body("errors.field", hasItem(filter.keySet().iterator().next()));
        }
        Api.auditor().queryParam("month", "2024-13").when().get("/api/credits/summary").then().statusCode(400);
        Api.auditor().queryParam("month", "2024-13").when().get("/api/credits/export").then().statusCode(400)
                .contentType("application/problem+json");
        Api.auditor().when().get("/api/credits/" + UUID.randomUUID()).then().statusCode(404).contentType("application/problem+json");
        Api.admin().when().get("/api/credits").then().statusCode(200);
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql);
                ResultSet rows = query.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}

package dev.incidentplatform.compensation.ledger;

import static dev.incidentplatform.compensation.Incidents.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.compensation.Api;
import dev.incidentplatform.compensation.Incidents;
import dev.incidentplatform.testsupport.EventContracts;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * From incident events on the real broker to the ledger in the real database and credit-issued on the broker:
 * contracts touched, tiers, adjustments, the minimum, redelivery, the contract of credit-issued, the audit API.
 * Each test uses services of its own, so tests sharing the application do not see each other's credits.
 */
@QuarkusTest
class CreditFlowTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Test
    void aResolutionCreditsEveryTouchedContractOnceAndRedeliveryChangesNothing() throws Exception {
        String vm = Api.uniqueService("vm");
        String customer = "contoso-" + vm;
        UUID global = Api.contract(customer, vm, List.of("global"), "1000.00", "USD", "azure-99.9", "2024-01");
        UUID europe = Api.contract(customer + "-eu", vm, List.of("eu-west"), "500.00", "EUR", "m365-99.9", "2024-01");
        UUID america = Api.contract(customer + "-us", vm, List.of("us-east"), "800.00", "USD", "azure-99.9", "2024-01");
        UUID extension = Api.contract(customer + "-ext", vm, List.of("eu-west", "us-east"), "100.00", "USD", "extension-99.9", "2024-01");
        UUID small = Api.contract(customer + "-small", vm, List.of("global"), "5.00", "USD", "azure-99.9", "2024-01");
        UUID yen = Api.contract(customer + "-jp", vm, List.of("global"), "1234", "JPY", "azure-99.9", "2024-01");

        // eu-west down 04:00–09:00 (300 min), us-east degraded only. July: (44 640 − 300) / 44 640 = 99.3279 %.
        Incidents incident = new Incidents();
        Incidents.Event opened = incident.opened("2024-07-19T04:00:00Z", component(vm, "major_outage", "eu-west"),
                component(vm, "degraded_performance", "us-east"));
        Incidents.Event resolved = incident.resolved("2024-07-19T09:00:00Z", component(vm, "operational", "eu-west"),
                component(vm, "operational", "us-east"));
        Incidents.send(opened, resolved);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ledger(vm).size() == 5);
        Map<UUID, Map<String, Object>> entries = ledger(vm);
        // global, azure-99.9: 10 % of 1000.00
        assertThat(entries.get(global)).containsEntry("amount", new BigDecimal("100.00")).containsEntry("status", "issued")
                .containsEntry("kind", "original");
        // eu-west, m365-99.9: below 99.9 → 25 % of 500.00 EUR
        assertThat(entries.get(europe)).containsEntry("amount", new BigDecimal("125.00")).containsEntry("currency", "EUR");
        // us-east was only degraded: nothing
        assertThat(entries).doesNotContainKey(america);
        // extension-99.9 in eu-west;us-east: 3 days
        assertThat(entries.get(extension)).containsEntry("extension_days", 3).containsEntry("amount", null);
        // 10 % of 5.00 = 0.50 < minimum 1.00: recorded, not issued
        assertThat(entries.get(small)).containsEntry("status", "below_minimum").containsEntry("amount", new BigDecimal("0.50"));
        // 10 % of 1234 JPY = 123.4 → 123
        assertThat(entries.get(yen)).containsEntry("amount", new BigDecimal("123"));

        // The same records delivered again (e.g. the producer retried): the ledger is unchanged.
        Incidents.send(opened, resolved);
        Incidents.awaitConsumed("compensation-service");
        assertThat(ledger(vm)).isEqualTo(entries);

        // The explanation of a credit: windows, minutes, month length, uptime, tier, fee, versions, actor.
        UUID creditId = (UUID) entries.get(global).get("credit_id");
        JsonPath credit = Api.auditor().when().get("/api/credits/" + creditId).then().statusCode(200).extract().jsonPath();
        assertThat(credit.getString("credit.amount.amount")).isEqualTo("100.00");
        assertThat(credit.getString("credit.amount.currency")).isEqualTo("USD");
        assertThat(credit.getDouble("credit.downtimeMinutes")).isEqualTo(300.0);
        assertThat(credit.getString("explanation.monthlyUptimePercent")).isEqualTo("99.3279");
        assertThat(credit.getLong("explanation.monthMinutes")).isEqualTo(44_640L);
        assertThat(credit.getList("explanation.windows.union")).hasSize(1);
        assertThat(credit.getString("explanation.windows.union[0].start")).isEqualTo("2024-07-19T04:00:00Z");
        assertThat(credit.getString("explanation.monthlyFee.amount")).isEqualTo("1000.00");
        assertThat(credit.getInt("explanation.tier.index")).isZero();
        assertThat(credit.getInt("explanation.policy.version")).isEqualTo(1);
        assertThat(credit.getInt("explanation.contract.version")).isEqualTo(1);
        assertThat(credit.getString("explanation.triggeredBy")).isEqualTo("oncall@ops.example");
        assertThat(credit.getString("credit.actor")).isEqualTo("compensation-service");
        assertThat(credit.getString("explanation.resolutionEventId")).isEqualTo(resolved.payload().get("eventId").asText());

        // Each issued entry is published once as credit-issued, valid against the contract, keyed by customer id,
        // with the CloudEvents headers of contracts/README.md.
        Map<String, ConsumerRecord<String, String>> published = awaitPublished(vm, 4);
        for (ConsumerRecord<String, String> record : published.values()) {
            assertThat(EventContracts.fromRepository().validate("credit-issued", 1, record.value())).as(record.value()).isEmpty();
            JsonNode event = JSON.readTree(record.value());
            assertThat(record.key()).isEqualTo(event.get("customerId").asText());
            assertThat(header(record, "ce_id")).isEqualTo(event.get("eventId").asText());
            assertThat(header(record, "ce_type")).isEqualTo("credit-issued");
            assertThat(header(record, "ce_source")).isEqualTo("/compensation-service");
            assertThat(header(record, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(record, "ce_subject")).isEqualTo(event.get("customerId").asText());
            // RFC 3339 both, the same instant (the SDK writes the fraction without trailing zeros).
            assertThat(Instant.parse(header(record, "ce_time"))).isEqualTo(Instant.parse(event.get("occurredAt").asText()));
            assertThat(header(record, "ce_dataschema")).isEqualTo("https://contracts.incident-platform.dev/credit-issued/v1/schema.json");
            assertThat(header(record, "content-type")).isEqualTo("application/json");
            assertThat(event.get("incidentIds").get(0).asText()).isEqualTo(incident.id().toString());
            assertThat(event.get("causationId").asText()).isEqualTo(resolved.payload().get("eventId").asText());
        }
        JsonNode usd = published.values().stream().map(r -> read(r.value()))
                .filter(e -> e.get("contractId").asText().equals(global.toString())).findFirst().orElseThrow();
        assertThat(usd.get("amount").get("amount").asText()).isEqualTo("100.00");
        assertThat(usd.get("creditPercent").decimalValue()).isEqualByComparingTo("10");
        assertThat(usd.get("billingMonth").asText()).isEqualTo("2024-07");
        assertThat(usd.get("monthlyUptimePercent").decimalValue()).isEqualByComparingTo("99.3279");
        assertThat(usd.get("downtimeMinutes").decimalValue()).isEqualByComparingTo("300");

        // The ledger refuses to be changed, whoever asks.
        try (Connection c = dataSource.getConnection(); Statement statement = c.createStatement()) {
            assertThatThrownBy(() -> statement.executeUpdate("UPDATE credit SET amount = 1 WHERE credit_id = '" + creditId + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("DELETE FROM credit WHERE credit_id = '" + creditId + "'"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("append-only");
            assertThatThrownBy(() -> statement.executeUpdate("TRUNCATE credit CASCADE")).isInstanceOf(SQLException.class);
            assertThatThrownBy(() -> statement.executeUpdate(
                    "UPDATE policy_version SET tiers = '[]' WHERE policy_id = 'azure-99.9' AND version = 1"))
                    .isInstanceOf(SQLException.class).hasMessageContaining("never changes");
        }
    }

    @Test
    void aLaterIncidentThatRaisesTheTierIssuesTheDifferenceAndAContractChangeAppliesFromItsMonth() {
        String vm = Api.uniqueService("vm");
        UUID contract = Api.contract("fabrikam-" + vm, vm, List.of("global"), "1000.00", "USD", "azure-99.9", "2024-01");
        // From August on, the fee is 2000.00.
        Api.admin().contentType("application/json").body(Map.of("regions", List.of("global"),
                "monthlyFee", Map.of("amount", "2000.00", "currency", "USD"), "policyId", "azure-99.9", "effectiveFrom", "2024-08"))
                .when().post("/api/contracts/" + contract + "/versions").then().statusCode(201);

        // A: 300 min in July → 99.3279 % → 10 % of 1000.00 = 100.00 (contract version 1).
        Incidents a = new Incidents();
        Incidents.send(a.opened("2024-07-05T00:00:00Z", component(vm, "major_outage", "global")),
                a.resolved("2024-07-05T05:00:00Z", component(vm, "operational", "global")));
        // B: 200 more min in July → 500 min → 98.8799 % → 25 % = 250.00: adjustment 150.00.
        // Overlapping B': 02:00–04:00 on the 5th is inside A: counts once, changes nothing on its own.
        Incidents b = new Incidents();
        Incidents.send(b.opened("2024-07-20T00:00:00Z", component(vm, "partial_outage", "global")),
                b.resolved("2024-07-20T03:20:00Z", component(vm, "operational", "global")));
        // C: 60 min in August → (44 640 − 60) / 44 640 = 99.8655 % → 10 % of 2000.00 = 200.00 (contract version 2).
        Incidents c = new Incidents();
        Incidents.send(c.opened("2024-08-02T00:00:00Z", component(vm, "major_outage", "global")),
                c.resolved("2024-08-02T01:00:00Z", component(vm, "operational", "global")));

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRows(vm).size() == 3);
        List<Map<String, Object>> rows = ledgerRows(vm);
        assertThat(rows).extracting(r -> r.get("incident_id")).containsExactly(a.id(), b.id(), c.id());
        assertThat(rows.get(0)).containsEntry("kind", "original").containsEntry("amount", new BigDecimal("100.00"))
                .containsEntry("contract_version", 1).containsEntry("billing_month", "2024-07");
        assertThat(rows.get(1)).containsEntry("kind", "adjustment").containsEntry("amount", new BigDecimal("150.00"))
                .containsEntry("credit_percent", new BigDecimal("15"));
        assertThat(rows.get(2)).containsEntry("kind", "original").containsEntry("amount", new BigDecimal("200.00"))
                .containsEntry("contract_version", 2).containsEntry("billing_month", "2024-08");

        // August was computed with version 2: a change can no longer apply to it (nor to July), only from September.
        Map<String, Object> change = new HashMap<>(Map.of("regions", List.of("global"),
                "monthlyFee", Map.of("amount", "3000.00", "currency", "USD"), "policyId", "azure-99.9", "effectiveFrom", "2024-08"));
        Api.admin().contentType("application/json").body(change).when().post("/api/contracts/" + contract + "/versions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("effectiveFrom"));
        change.put("effectiveFrom", "2024-09");
        Api.admin().contentType("application/json").body(change).when().post("/api/contracts/" + contract + "/versions")
                .then().statusCode(201);
        // Likewise for a policy used for a month: its new versions apply only after the months already computed.
        Api.admin().contentType("application/json").body(Map.of("policyId", "azure-99.9", "kind", "money", "effectiveFrom",
                "2024-07", "tiers", List.of(Map.of("belowUptimePercent", 99.9, "creditPercent", 50))))
                .when().post("/api/policies").then().statusCode(400)
                .body("errors[0].field", org.hamcrest.Matchers.equalTo("effectiveFrom"));
    }

    @Test
    void theExportedCsvSumsToTheSummary() throws Exception {
        String teams = Api.uniqueService("teams");
        for (int i = 0; i < 7; i++) {
            Api.contract("customer-" + i + "-" + teams, teams, List.of("global"), (100 + i * 37) + ".5" + i, "EUR", "m365-99.9", "2024-01");
        }
        Api.contract("yen-" + teams, teams, List.of("global"), "9999", "JPY", "azure-99.9", "2024-01");
        Incidents incident = new Incidents();
        // Across the month boundary: 90 min in September (99.7917 %), 90 in October (99.7984 %) → credits in both months.
        Incidents.send(incident.opened("2024-09-30T22:30:00Z", component(teams, "major_outage", "global")),
                incident.resolved("2024-10-01T01:30:00Z", component(teams, "operational", "global")));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ledgerRows(teams).size() == 16);

        for (String month : List.of("2024-09", "2024-10")) {
            JsonPath summary = Api.auditor().queryParam("month", month).queryParam("service", teams)
                    .when().get("/api/credits/summary").then().statusCode(200).extract().jsonPath();
            String csv = Api.auditor().queryParam("month", month).queryParam("service", teams)
                    .when().get("/api/credits/export").then().statusCode(200).contentType("text/csv")
                    .extract().asString();
            Map<String, BigDecimal> sums = new HashMap<>();
            int rows = 0;
            try (CSVParser parser = CSVParser.parse(new StringReader(csv),
                    CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
                assertThat(parser.getHeaderNames()).containsExactlyElementsOf(CreditQueries.EXPORT_HEADER);
                for (CSVRecord record : parser) {
                    rows++;
                    if (record.get("status").equals("issued")) {
                        sums.merge(record.get("currency"), new BigDecimal(record.get("amount")), BigDecimal::add);
                    }
                }
            }
            assertThat(rows).isEqualTo(8);
            assertThat(summary.getLong("issued")).isEqualTo(8);
            assertThat(summary.getList("totals")).hasSize(2);
            for (Map<String, Object> total : summary.<Map<String, Object>>getList("totals")) {
                assertThat(sums.get((String) total.get("currency"))).as(month + " " + total)
                        .isEqualByComparingTo((String) total.get("amount"));
            }
        }
    }

    @Test
    void unreadableRecordsAreParkedAtOnceOnTheDeadLetterTopicAndThePartitionMovesOn() throws Exception {
        String vm = Api.uniqueService("vm");
        Api.contract("dlq-" + vm, vm, List.of("global"), "1000.00", "USD", "azure-99.9", "2024-01");
        Incidents incident = new Incidents();
        String key = incident.id().toString();
        Incidents.sendRaw(key, "{not json", Incidents.cloudEventHeaders("update-posted", UUID.randomUUID().toString(), key));
        Incidents.sendRaw(key, "{\"eventType\":\"incident-opened\",\"eventId\":\"x\"}", Map.of());
        // A type this service reads, in a version it cannot read (an unknown type is passed over, not parked).
        Incidents.sendRaw(key, "{\"eventType\":\"incident-opened\",\"schemaVersion\":2,\"eventId\":\"" + UUID.randomUUID() + "\"}",
                Incidents.cloudEventHeaders("incident-opened", UUID.randomUUID().toString(), key));
        Incidents.send(incident.opened("2024-07-01T00:00:00Z", component(vm, "major_outage", "global")),
                incident.resolved("2024-07-01T02:00:00Z", component(vm, "operational", "global")));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> ledger(vm).size() == 1);

        Properties properties = TestInfrastructure.kafka().clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "dlq-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        List<ConsumerRecord<String, String>> dead = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("incident-events.compensation-service.dlq"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> {
                    if (key.equals(record.key())) {
                        dead.add(record);
                    }
                });
                assertThat(dead).hasSize(3);
            });
        }
        assertThat(dead).extracting(ConsumerRecord::value).startsWith("{not json",
                "{\"eventType\":\"incident-opened\",\"eventId\":\"x\"}");
        assertThat(dead.get(2).value()).startsWith("{\"eventType\":\"incident-opened\",\"schemaVersion\":2");
        assertThat(header(dead.get(0), "dead-letter-reason")).contains("not JSON");
        assertThat(header(dead.get(1), "dead-letter-reason")).contains("not a CloudEvent");
        assertThat(header(dead.get(2), "dead-letter-reason")).contains("schema version 2");
        assertThat(dead).allSatisfy(record -> assertThat(header(record, "dead-letter-attempts")).isEqualTo("1"));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    /** credit-issued records of this test's service, by event id (a duplicate on the wire would collapse here). */
    private static Map<String, ConsumerRecord<String, String>> awaitPublished(String service, int expected) {
        Properties properties = TestInfrastructure.kafka().clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "credit-reader-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        Map<String, ConsumerRecord<String, String>> byEventId = new HashMap<>();
        List<String> all = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of("credit-events"));
            Awaitility.await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    if (read(record.value()).get("service").asText().equals(service)) {
                        byEventId.put(header(record, "ce_id"), record);
                        all.add(header(record, "ce_id"));
                    }
                }
                assertThat(byEventId).hasSize(expected);
            });
        }
        assertThat(all).doesNotHaveDuplicates();
        return byEventId;
    }

    private Map<UUID, Map<String, Object>> ledger(String service) throws SQLException {
        Map<UUID, Map<String, Object>> byContract = new HashMap<>();
        for (Map<String, Object> row : ledgerRows(service)) {
            byContract.put((UUID) row.get("contract_id"), row);
        }
        return byContract;
    }

    private List<Map<String, Object>> ledgerRows(String service) {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement("""
                SELECT credit_id, contract_id, contract_version, incident_id, to_char(billing_month, 'YYYY-MM') AS billing_month,
                       status, kind, amount, currency, credit_percent, extension_days
                FROM credit WHERE service = ? ORDER BY position""")) {
            query.setString(1, service);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet result = query.executeQuery()) {
                while (result.next()) {
                    Map<String, Object> row = new HashMap<>();
                    for (int i = 1; i <= result.getMetaData().getColumnCount(); i++) {
                        Object value = result.getObject(i);
                        if (value instanceof BigDecimal decimal) {
                            value = decimal.scale() > 0 && result.getMetaData().getColumnName(i).equals("credit_percent")
                                    ? decimal.stripTrailingZeros() : decimal;
                        }
                        row.put(result.getMetaData().getColumnName(i), value);
                    }
                    rows.add(row);
                }
            }
            Set<Object> keys = new HashSet<>();
            rows.forEach(r -> assertThat(keys.add(List.of(r.get("contract_id"), r.get("billing_month"), r.get("incident_id")))).isTrue());
            return rows;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}

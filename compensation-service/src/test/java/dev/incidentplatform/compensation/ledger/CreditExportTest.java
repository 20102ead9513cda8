package dev.incidentplatform.compensation.ledger;

import static dev.incidentplatform.compensation.Incidents.component;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringReader;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.compensation.Api;
import dev.incidentplatform.compensation.Incidents;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The credit export opened in a spreadsheet: a customer id stored before ids had a syntax (which now forbids a first
 * character that is not a letter or digit) must come out as text, never as a formula.
 */
@QuarkusTest
class CreditExportTest {

    /** Customer ids an older version accepted: each starts with a character a spreadsheet reads as a formula. */
    private static final List<String> FORMULAS = List.of("=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1:A9)",
            "\t=1+1", "\r=1+1", "=HYPERLINK(\"http://evil.example\",\"x\")");

    @Inject
    DataSource dataSource;

    @Test
    void cellsThatASpreadsheetWouldReadAsFormulasAreExportedAsQuotedText() throws Exception {
        String vm = Api.uniqueService("export");
        for (String customer : FORMULAS) {
            legacyContract(customer, vm);
        }
        Api.contract("plain-" + vm, vm, List.of("global"), "1000.00", "USD", "azure-99.9", "2024-01");
        Incidents incident = new Incidents();
        // 300 minutes down in July: 99.3279 % → the 10 % tier of azure-99.9, 100.00 USD per contract.
        Incidents.send(incident.opened("2024-07-19T04:00:00Z", component(vm, "major_outage", "global")),
                incident.resolved("2024-07-19T09:00:00Z", component(vm, "operational", "global")));
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> credits(vm) == FORMULAS.size() + 1);

        String csv = Api.auditor().queryParam("service", vm).when().get("/api/credits/export").then().statusCode(200)
                .contentType("text/csv").extract().asString();

        List<CSVRecord> records = new ArrayList<>();
        try (CSVParser parser = CSVParser.parse(new StringReader(csv),
                CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
            parser.forEach(records::add);
        }
        assertThat(records).hasSize(FORMULAS.size() + 1);
        Map<String, CSVRecord> byCustomer = records.stream().collect(Collectors.toMap(r -> r.get("customerId"), r -> r));
        for (String formula : FORMULAS) {
            assertThat(byCustomer).as(formula).containsKey("'" + formula);
        }
        assertThat(byCustomer).containsKey("plain-" + vm);
        for (CSVRecord record : records) {
            for (String cell : record) {
                assertThat(cell).as("no cell may start a formula").doesNotStartWith("=").doesNotStartWith("+")
                        .doesNotStartWith("-").doesNotStartWith("@").doesNotStartWith("\t").doesNotStartWith("\r");
            }
            // Amounts are never negative: the numbers are exported untouched.
            assertThat(record.get("amount")).isEqualTo("100.00");
            assertThat(record.get("creditPercent")).isEqualTo("10");
        }
        // Every cell is quoted, so that the quote and the text stay one cell whatever the spreadsheet's settings.
        assertThat(csv).contains("\"'=cmd|' /C calc'!A0\"").contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"x\"\")\"");
        assertThat(csv.lines().findFirst().orElseThrow()).startsWith("\"creditId\",\"customerId\",");
    }

    private void legacyContract(String customer, String service) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            UUID id = UUID.randomUUID();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO contract (contract_id, customer_id, service, created_by) VALUES (?, ?, ?, 'legacy')")) {
                insert.setObject(1, id);
                insert.setString(2, customer);
                insert.setString(3, service);
                insert.executeUpdate();
            }
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO contract_version (contract_id, version, regions, monthly_fee, currency, currency_digits,
                        policy_id, effective_from, recorded_by)
                    VALUES (?, 1, '{global}', 1000.00, 'USD', 2, 'azure-99.9', DATE '2024-01-01', 'legacy')""")) {
                insert.setObject(1, id);
                insert.executeUpdate();
            }
        }
    }

    private long credits(String service) throws SQLException {
        try (Connection c = dataSource.getConnection();
                PreparedStatement query = c.prepareStatement("SELECT count(*) FROM credit WHERE service = ?")) {
            query.setString(1, service);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

package dev.incidentplatform.compensation.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.platform.problem.FieldErrors;
import dev.incidentplatform.platform.problem.Problem;
import dev.incidentplatform.platform.problem.ProblemException;

/**
 * CSV import of contracts, all or nothing, in bounded memory: the request is parsed as it arrives (commons-csv),
 * each line validated and streamed into a staging table with COPY; only when every line is valid do the staged rows
 * become contracts, in the same transaction. Otherwise nothing is stored and every bad line is reported by number.
 */
@ApplicationScoped
public class ContractImport {

    public static final List<String> COLUMNS = List.of("customerId", "service", "regions", "amount", "currency", "policyId",
            "effectiveFrom");
    /** The response lists this many bad lines at most; errorCount gives them all. */
    static final int MAX_REPORTED_ERRORS = 100;
    private static final int COPY_CHUNK = 256 * 1024;

    private final DataSource dataSource;

    public ContractImport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public record Result(long imported) {
    }

    /** Work that must commit with the import (the answer to its Idempotency-Key), done once every row is in. */
    @FunctionalInterface
    public interface BeforeCommit {
        void run(Connection connection, Result result) throws SQLException;
    }

    public Result importCsv(InputStream body, List<String> knownPolicies, BillingMonth currentMonth, String actor,
            BeforeCommit beforeCommit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result result = stage(c, body, knownPolicies, currentMonth, actor);
                beforeCommit.run(c, result);
                c.commit();
                return result;
            } catch (RuntimeException | SQLException | IOException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The import failed; nothing was stored", e);
        } catch (IOException e) {
            throw new UncheckedIOException("The import failed; nothing was stored", e);
        }
    }

    private Result stage(Connection c, InputStream body, List<String> knownPolicies, BillingMonth currentMonth, String actor)
            throws SQLException, IOException {
        try (Statement ddl = c.createStatement()) {
            ddl.execute("""
                    CREATE TEMP TABLE contract_import (
                        contract_id uuid NOT NULL DEFAULT gen_random_uuid(), line bigint NOT NULL, customer_id text NOT NULL,
                        service text NOT NULL, regions text[] NOT NULL, monthly_fee numeric NOT NULL, currency char(3) NOT NULL,
                        currency_digits smallint NOT NULL, policy_id text NOT NULL, effective_from date NOT NULL) ON COMMIT DROP""");
        }
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI().copyIn("""
                COPY contract_import (line, customer_id, service, regions, monthly_fee, currency, currency_digits, policy_id,
                    effective_from) FROM STDIN (FORMAT csv)""");
        List<Problem.FieldError> reported = new ArrayList<>();
        long errorCount = 0;
        long rows = 0;
        StringBuilder chunk = new StringBuilder(COPY_CHUNK + 1024);
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        try (Reader reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 64 * 1024);
                CSVParser parser = CSVParser.parse(reader, format);
                CSVPrinter staged = new CSVPrinter(chunk, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get())) {
            if (!parser.getHeaderNames().equals(COLUMNS)) {
                throw ProblemException.field("header", "the columns must be exactly " + String.join(",", COLUMNS)
                        + "; got " + String.join(",", parser.getHeaderNames()));
            }
            for (CSVRecord record : parser) {
                long line = parser.getCurrentLineNumber();
                String problem = null;
                ContractTerms terms = null;
                if (record.size() != COLUMNS.size()) {
                    problem = "expected " + COLUMNS.size() + " columns, found " + record.size();
                } else {
                    FieldErrors errors = new FieldErrors();
                    ContractTerms.checkCustomerAndService(errors, record.get(0), record.get(1));
                    terms = ContractTerms.parse(errors, Arrays.asList(record.get(2).split(";", -1)), record.get(3),
                            record.get(4), record.get(5), record.get(6), knownPolicies, currentMonth);
                    if (!errors.isEmpty()) {
                        problem = errors.describe();
                    }
                }
                if (problem != null) {
                    errorCount++;
                    if (reported.size() < MAX_REPORTED_ERRORS) {
                        reported.add(new Problem.FieldError("line " + line, problem));
                    }
                    continue;
                }
                if (errorCount > 0) {
                    continue; // nothing will be stored: only keep finding errors
                }
                rows++;
                staged.printRecord(line, record.get(0), record.get(1), "{" + String.join(",", terms.regions().regions()) + "}",
                        terms.monthlyFee().toPlainString(), terms.currency().getCurrencyCode(),
                        terms.currency().getDefaultFractionDigits(), terms.policyId(), terms.effectiveFrom().firstDay());
                if (chunk.length() >= COPY_CHUNK) {
                    write(copy, chunk);
                }
            }
        } catch (UncheckedIOException | IllegalStateException e) {
            // commons-csv reports malformed CSV (e.g. an unclosed quote) this way.
            cancel(copy);
            throw ProblemException.field("body", "not RFC 4180 CSV: " + e.getMessage());
        } catch (RuntimeException e) {
            cancel(copy);
            throw e;
        }
        if (errorCount > 0) {
            cancel(copy);
            throw new ProblemException(400, errorCount + " line(s) are invalid; nothing was imported. First: "
                    + reported.get(0).field() + ": " + reported.get(0).reason(), reported, errorCount, java.util.Map.of());
        }
        write(copy, chunk);
        copy.endCopy();
        try (PreparedStatement contracts = c.prepareStatement("INSERT INTO contract (contract_id, customer_id, service, "
                + "created_by) SELECT contract_id, customer_id, service, ? FROM contract_import ORDER BY line");
                PreparedStatement versions = c.prepareStatement("INSERT INTO contract_version (contract_id, version, regions, "
                        + "monthly_fee, currency, currency_digits, policy_id, effective_from, recorded_by) SELECT contract_id, 1, "
                        + "regions, monthly_fee, currency, currency_digits, policy_id, effective_from, ? FROM contract_import")) {
            contracts.setString(1, actor);
            contracts.executeUpdate();
            versions.setString(1, actor);
            versions.executeUpdate();
        }
        if (rows >= 10_000) {
            // Fresh statistics for the crediting join that may follow at once (autovacuum analyses only later).
            try (Statement analyze = c.createStatement()) {
                analyze.execute("ANALYZE contract, contract_version");
            }
        }
        return new Result(rows);
    }

    private static void write(CopyIn copy, StringBuilder chunk) throws SQLException {
        if (chunk.length() > 0) {
            byte[] bytes = chunk.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            chunk.setLength(0);
        }
    }

    private static void cancel(CopyIn copy) {
        try {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        } catch (SQLException e) {
            // The transaction is rolled back anyway.
        }
    }
}

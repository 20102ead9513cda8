package dev.incidentplatform.compensation.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PushbackReader;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.platform.json.Texts;
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
    /** A contract line has about 100 characters; one that never ends (an unclosed quote) is cut off here. */
    static final int MAX_RECORD_CHARS = 64 * 1024;

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

    public Result importCsv(InputStream body, Charset charset, List<String> knownPolicies, BillingMonth currentMonth, String actor,
            BeforeCommit beforeCommit) {
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                Result result = stage(c, body, charset, knownPolicies, currentMonth, actor);
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

    private Result stage(Connection c, InputStream body, Charset charset, List<String> knownPolicies, BillingMonth currentMonth, String actor)
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
        long lastLine = 1; // the header's; a record that cannot be read starts on the line after the last one read
        StringBuilder chunk = new StringBuilder(COPY_CHUNK + 1024);
        CSVFormat format = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
        RecordSizeGuard guard = new RecordSizeGuard(new BufferedReader(new InputStreamReader(body,
                charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)), 64 * 1024), MAX_RECORD_CHARS);
        try (Reader reader = guard;
                CSVParser parser = CSVParser.parse(withoutByteOrderMark(reader), format);
                CSVPrinter staged = new CSVPrinter(chunk, CSVFormat.RFC4180.builder().setRecordSeparator("\n").get())) {
            if (!parser.getHeaderNames().equals(COLUMNS)) {
                throw new ProblemException(400, "header: the first line must be exactly " + String.join(",", COLUMNS)
                        + "; nothing was imported", List.of(new Problem.FieldError("header", "the columns must be exactly "
                                + String.join(",", COLUMNS), 1L)));
            }
            Iterator<CSVRecord> records = parser.iterator();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                guard.recordRead();
                long line = parser.getCurrentLineNumber();
                lastLine = line;
                String problem = null;
                ContractTerms terms = null;
                if (record.size() != COLUMNS.size()) {
                    problem = "expected " + COLUMNS.size() + " columns, found " + record.size();
                } else {
                    FieldErrors errors = new FieldErrors();
                    for (int i = 0; i < COLUMNS.size(); i++) {
                        String violation = Texts.violation(record.get(i));
                        if (violation != null) {
                            errors.add(COLUMNS.get(i), violation);
                        }
                    }
                    if (errors.isEmpty()) {
                        ContractTerms.checkCustomerAndService(errors, record.get(0), record.get(1));
                        terms = ContractTerms.parse(errors, Arrays.asList(record.get(2).split(";", -1)), record.get(3),
                                record.get(4), record.get(5), record.get(6), knownPolicies, currentMonth);
                    }
                    if (!errors.isEmpty()) {
                        problem = errors.describe();
                    }
                }
                if (problem != null) {
                    errorCount++;
                    if (reported.size() < MAX_REPORTED_ERRORS) {
                        reported.add(new Problem.FieldError("line " + line, problem, line));
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
        } catch (IOException | UncheckedIOException | IllegalStateException | IllegalArgumentException e) {
            // commons-csv (and the charset decoder under it) report malformed input in their own words and class
            // names; the client gets ours. The COPY is cancelled first: while it is open, the connection would
            // wait for it forever instead of rolling back.
            cancel(copy);
            long line = lastLine + 1;
            throw new ProblemException(400, "body: not RFC 4180 CSV at line " + line + ": " + unreadable(e)
                    + "; nothing was imported", List.of(new Problem.FieldError("body", "not RFC 4180 CSV at line " + line
                            + ": " + unreadable(e), line)));
        } catch (RuntimeException | SQLException e) {
            cancel(copy);
            throw e;
        }
        if (errorCount > 0) {
            cancel(copy);
            throw new ProblemException(400, errorCount + " line(s) are invalid; nothing was imported. First: "
                    + reported.get(0).field() + ": " + reported.get(0).reason(), reported, errorCount, java.util.Map.of());
        }
        try {
            write(copy, chunk);
            copy.endCopy();
        } catch (SQLException | RuntimeException e) {
            cancel(copy);
            throw e;
        }
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

    /** Why commons-csv (or the decoder under it) could not read on, in words a client can act on. */
    private static String unreadable(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof RecordSizeGuard.RecordTooLarge) {
                return "a record is longer than " + MAX_RECORD_CHARS + " characters";
            }
            if (cause instanceof CharacterCodingException) {
                return "the bytes are not text in the charset the Content-Type names (UTF-8 when it names none)";
            }
            String message = cause.getMessage() == null ? "" : cause.getMessage().toLowerCase(Locale.ROOT);
            if (message.contains("eof reached before encapsulated token finished")) {
                return "unclosed quote (a quoted field must end with a quote)";
            }
            if (message.contains("between encapsulated token and delimiter")) {
                return "a quote inside a quoted field must be doubled (\"\"), and a quoted field must end at a comma or"
                        + " line end";
            }
            if (message.contains("header")) {
                return "the header has an empty or repeated column name";
            }
        }
        return "it could not be read as comma-separated records";
    }

    /** A UTF-8 byte order mark is refused, as in JSON bodies: the first column's name would silently differ. */
    private static Reader withoutByteOrderMark(Reader reader) throws IOException {
        PushbackReader pushback = new PushbackReader(reader, 1);
        int first = pushback.read();
        if (first == '\uFEFF') {
            throw ProblemException.field("body", "starts with a byte order mark; send UTF-8 CSV without one");
        }
        if (first >= 0) {
            pushback.unread(first);
        }
        return pushback;
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

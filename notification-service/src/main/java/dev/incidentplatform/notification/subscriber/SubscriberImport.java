package dev.incidentplatform.notification.subscriber;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.transaction.Transactional;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;
import org.apache.commons.csv.DuplicateHeaderMode;
import org.postgresql.PGConnection;
import org.postgresql.copy.PGCopyOutputStream;

import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.notification.domain.Violation;

/**
 * {@code POST /api/subscribers/import}: CSV ({@code email,name,customerId,services,regions}, lists ';'-separated) read
 * as a stream and copied line by line into a temporary table with PostgreSQL's COPY, then checked for duplicates (in
 * the file and against existing subscribers) and inserted by one {@code INSERT … SELECT}: all rows or none, and
 * every bad line reported with its number and reason. Memory does not grow with the file (only with its errors).
 */
@ApplicationScoped
public class SubscriberImport {

    public static final List<String> HEADER = List.of("email", "name", "customerId", "services", "regions");
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            // A wrong first line is reported by checkHeader, not thrown while parsing it.
            .setAllowMissingColumnNames(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
            .get();

    private final DataSource dataSource;

    public SubscriberImport(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /** @return how many subscribers were created */
    @Transactional
    public int importCsv(InputStream body, String actor) {
        try (Connection connection = dataSource.getConnection();
                Reader reader = new InputStreamReader(body, StandardCharsets.UTF_8);
                CSVParser parser = FORMAT.parse(reader)) {
            checkHeader(parser.getHeaderNames());
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("""
                        CREATE TEMPORARY TABLE import_row (
                            line bigint NOT NULL, id uuid NOT NULL, email text NOT NULL, email_normalized text NOT NULL,
                            name text, customer_id text, services text[] NOT NULL, regions text[] NOT NULL
                        ) ON COMMIT DROP""");
            }
            List<InvalidInputException.Problem> problems = copyRows(connection, parser);
            problems.addAll(duplicatesInFile(connection));
            // 409 when the file itself is fine and only clashes with existing subscribers, else 400.
            boolean conflictsOnly = problems.isEmpty();
            List<InvalidInputException.Problem> existing = alreadySubscribed(connection);
            problems.addAll(existing);
            if (!problems.isEmpty()) {
                problems.sort((a, b) -> Long.compare(a.line(), b.line()));
                throw new InvalidInputException(problems.size() + " line(s) of the file cannot be imported; nothing was imported.",
                        problems, conflictsOnly);
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO subscriber (id, email, email_normalized, name, customer_id, services, regions, created_by,
                        updated_by)
                    SELECT id, email, email_normalized, name, customer_id, services, regions, ?, ?
                    FROM import_row""")) {
                insert.setString(1, actor);
                insert.setString(2, actor);
                return insert.executeUpdate();
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new InvalidInputException("Another change added some of these addresses meanwhile; nothing was imported.",
                        List.of(new InvalidInputException.Problem(null, "email", e.getMessage())), true);
            }
            throw new IllegalStateException(e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (UncheckedIOException e) {
            // commons-csv reports a malformed file (e.g. an unclosed quote) this way.
            throw new InvalidInputException("The file is not valid CSV: " + e.getCause().getMessage(),
                    List.of(new InvalidInputException.Problem(null, "body", e.getCause().getMessage())), false);
        }
    }

    private static void checkHeader(List<String> header) {
        if (!Set.copyOf(header).equals(Set.copyOf(HEADER)) || header.size() != HEADER.size()) {
            throw new InvalidInputException("The first line must name the columns " + String.join(",", HEADER) + ".",
                    List.of(new InvalidInputException.Problem(1L, "header",
                            "expected " + String.join(",", HEADER) + ", found " + String.join(",", header))),
                    false);
        }
    }

    /**
     * Validates every line and copies the valid ones into import_row, also after a bad line: duplicates and clashes
     * among the rest are reported in the same answer.
     */
    private static List<InvalidInputException.Problem> copyRows(Connection connection, CSVParser parser)
            throws SQLException, IOException {
        List<InvalidInputException.Problem> problems = new ArrayList<>();
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (PGCopyOutputStream copy = new PGCopyOutputStream(pg,
                "COPY import_row (line, id, email, email_normalized, name, customer_id, services, regions) FROM STDIN (FORMAT csv)",
                1 << 16);
                Writer writer = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
                CSVPrinter rows = new CSVPrinter(writer, CSVFormat.POSTGRESQL_CSV)) {
            Iterator<CSVRecord> records = parser.iterator();
            long lineBefore = parser.getCurrentLineNumber();
            while (records.hasNext()) {
                CSVRecord record = records.next();
                long line = lineBefore + 1;
                lineBefore = parser.getCurrentLineNumber();
                if (!record.isConsistent()) {
                    problems.add(new InvalidInputException.Problem(line, "line",
                            "has " + record.size() + " fields, expected " + HEADER.size()));
                    continue;
                }
                SubscriberDraft draft = new SubscriberDraft(record.get("email"), record.get("name"), record.get("customerId"),
                        list(record.get("services")), list(record.get("regions")));
                List<Violation> violations = draft.violations();
                if (!violations.isEmpty()) {
                    violations.forEach(v -> problems.add(new InvalidInputException.Problem(line, v.field(), v.reason())));
                } else {
                    rows.printRecord(line, UUID.randomUUID(), draft.email(), draft.normalizedEmail(), draft.name(),
                            draft.customerId(), array(draft.services()), array(draft.regions()));
                }
            }
        }
        return problems;
    }

    private static List<InvalidInputException.Problem> duplicatesInFile(Connection connection) throws SQLException {
        return problems(connection, """
                SELECT line, 'email', 'repeats the address of line ' || first_line
                FROM (SELECT line, min(line) OVER (PARTITION BY email_normalized) AS first_line FROM import_row) lines
                WHERE line <> first_line""");
    }

    private static List<InvalidInputException.Problem> alreadySubscribed(Connection connection) throws SQLException {
        return problems(connection, """
                SELECT r.line, 'email', 'is already subscribed (subscriber ' || s.id || ')'
                FROM import_row r JOIN subscriber s ON s.email_normalized = r.email_normalized""");
    }

    private static List<InvalidInputException.Problem> problems(Connection connection, String sql) throws SQLException {
        List<InvalidInputException.Problem> problems = new ArrayList<>();
        try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                problems.add(new InvalidInputException.Problem(rows.getLong(1), rows.getString(2), rows.getString(3)));
            }
        }
        return problems;
    }

    private static List<String> list(String field) {
        if (field == null || field.isBlank()) {
            return List.of();
        }
        return Arrays.stream(field.split(";")).map(String::strip).filter(value -> !value.isEmpty()).toList();
    }

    /** A PostgreSQL array literal; ids are checked against their patterns first, so they need no quoting. */
    private static String array(List<String> values) {
        return "{" + String.join(",", values) + "}";
    }
}

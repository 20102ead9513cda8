package dev.incidentplatform.notification.subscriber;

import java.io.BufferedWriter;
import java.io.FilterReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
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

import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.notification.domain.SubscriberDraft;
import dev.incidentplatform.notification.domain.Violation;
import dev.incidentplatform.platform.problem.Problem;
import dev.incidentplatform.platform.problem.ProblemException;

/**
 * {@code POST /api/subscribers/import}: CSV ({@code email,name,customerId,services,regions}, optionally
 * {@code locale} and {@code timeZone} too, in any order; lists ';'-separated, UTF-8, optionally starting with a byte
 * order mark) read as a stream and copied line by line into a temporary table
 * with PostgreSQL's COPY, then checked for duplicates (in the file and against existing subscribers) and inserted by
 * one {@code INSERT … SELECT}: all rows or none. Memory stays constant whatever the file: a line is at most
 * {@value #MAX_LINE_CHARS} characters, there are at most {@code notification.import.max-rows} lines (the body's size is
 * capped by {@code platform.http.body-limits}), and the answer lists the first {@value #MAX_REPORTED_ERRORS} errors by
 * line with the total in {@code errorCount}.
 */
@ApplicationScoped
public class SubscriberImport {

    public static final List<String> HEADER = List.of("email", "name", "customerId", "services", "regions");
    /** Columns a file may add to {@link #HEADER}; a line's empty cell means "none" (English, UTC). */
    public static final List<String> OPTIONAL_COLUMNS = List.of("locale", "timeZone");
    /** The answer lists this many errors at most (the first by line); errorCount gives them all. */
    public static final int MAX_REPORTED_ERRORS = 100;
    /**
     * The longest line (record) read, in characters: far above the longest valid one (an address, a name, 100 services
     * and 100 regions of 64 characters, quoted: about 14 000), so that one cell can never fill the heap.
     */
    public static final int MAX_LINE_CHARS = 65_536;
    private static final CSVFormat FORMAT = CSVFormat.RFC4180.builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .setIgnoreSurroundingSpaces(true)
            // A wrong first line is reported by checkHeader, not thrown while parsing it.
            .setAllowMissingColumnNames(true)
            .setDuplicateHeaderMode(DuplicateHeaderMode.ALLOW_ALL)
            .get();

    private final DataSource dataSource;
    private final long maxRows;

    public SubscriberImport(DataSource dataSource, NotificationConfig config) {
        this.dataSource = dataSource;
        this.maxRows = config.subscriberImport().maxRows();
    }

    /** @return how many subscribers were created */
    @Transactional
    public int importCsv(InputStream body, String actor) {
        BoundedLines input = new BoundedLines(new InputStreamReader(body, StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT)));
        try (Connection connection = dataSource.getConnection(); CSVParser parser = open(input)) {
            checkHeader(parser.getHeaderNames());
            try (Statement ddl = connection.createStatement()) {
                ddl.execute("""
                        CREATE TEMPORARY TABLE import_row (
                            line bigint NOT NULL, id uuid NOT NULL, email text NOT NULL, email_normalized text NOT NULL,
                            name text, customer_id text, services text[] NOT NULL, regions text[] NOT NULL, locale text,
                            time_zone text
                        ) ON COMMIT DROP""");
            }
            Errors errors = new Errors();
            copyRows(connection, parser, input, errors);
            errors.addFirst(connection, """
                    SELECT line, 'email', 'repeats the address of line ' || first_line, count(*) OVER ()
                    FROM (SELECT line, min(line) OVER (PARTITION BY email_normalized) AS first_line FROM import_row) lines
                    WHERE line <> first_line ORDER BY line LIMIT""" + " " + MAX_REPORTED_ERRORS);
            // 409 when the file itself is fine and only clashes with existing subscribers, else 400.
            boolean conflictsOnly = errors.count == 0;
            errors.addFirst(connection, """
                    SELECT r.line, 'email', 'is already subscribed (subscriber ' || s.id || ')', count(*) OVER ()
                    FROM import_row r JOIN subscriber s ON s.email_normalized = r.email_normalized
                    ORDER BY r.line LIMIT""" + " " + MAX_REPORTED_ERRORS);
            errors.throwIfAny(conflictsOnly);
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO subscriber (id, email, email_normalized, name, customer_id, services, regions, locale,
                        time_zone, created_by, updated_by)
                    SELECT id, email, email_normalized, name, customer_id, services, regions, locale, time_zone, ?, ?
                    FROM import_row""")) {
                insert.setString(1, actor);
                insert.setString(2, actor);
                return insert.executeUpdate();
            }
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                throw new InvalidInputException("Another change added some of these addresses meanwhile; nothing was imported.",
                        List.of(new InvalidInputException.Problem(null, "email", "is already subscribed")), true);
            }
            throw new IllegalStateException(e);
        } catch (CharacterCodingException e) {
            throw notUtf8(input);
        } catch (IOException e) {
            // The client went away mid-upload, or the header could not be read.
            throw notCsv(input);
        }
    }

    private static CSVParser open(BoundedLines input) throws IOException {
        try {
            return FORMAT.parse(input);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private static void checkHeader(List<String> header) {
        Set<String> named = new HashSet<>(header);
        boolean known = OPTIONAL_COLUMNS.stream().filter(named::contains).count() + HEADER.size() == named.size();
        if (!named.containsAll(HEADER) || !known || named.size() != header.size()) {
            throw new InvalidInputException("The first line must name the columns " + String.join(",", HEADER)
                    + ", and may name " + String.join(" and ", OPTIONAL_COLUMNS) + ".",
                    List.of(new InvalidInputException.Problem(1L, "header", "must be " + String.join(",", HEADER)
                            + " (in any order), optionally with " + String.join(",", OPTIONAL_COLUMNS)
                            + ", each once")),
                    false);
        }
    }

    /**
     * Validates every line and copies the valid ones into import_row, also after a bad line: duplicates and clashes
     * among the rest are reported in the same answer.
     */
    private void copyRows(Connection connection, CSVParser parser, BoundedLines input, Errors errors)
            throws SQLException, IOException {
        PGConnection pg = connection.unwrap(PGConnection.class);
        try (PGCopyOutputStream copy = new PGCopyOutputStream(pg,
                "COPY import_row (line, id, email, email_normalized, name, customer_id, services, regions, locale, time_zone)"
                        + " FROM STDIN (FORMAT csv)",
                1 << 16);
                Writer writer = new BufferedWriter(new OutputStreamWriter(copy, StandardCharsets.UTF_8), 1 << 16);
                CSVPrinter rows = new CSVPrinter(writer, CSVFormat.POSTGRESQL_CSV)) {
            Iterator<CSVRecord> records = parser.iterator();
            long lineBefore = parser.getCurrentLineNumber();
            long count = 0;
            while (hasNext(records, input)) {
                input.recordStarts();
                CSVRecord record = records.next();
                long line = lineBefore + 1;
                lineBefore = parser.getCurrentLineNumber();
                if (++count > maxRows) {
                    throw new ProblemException(413, "The file has more than " + maxRows + " lines after the header; import"
                            + " it in parts. Nothing was imported.");
                }
                if (record.size() == 1 && record.get(0).isEmpty()) {
                    errors.add(line, "line", "is empty; remove blank lines");
                    continue;
                }
                if (!record.isConsistent()) {
                    errors.add(line, "line", "has " + record.size() + " fields, expected " + parser.getHeaderNames().size());
                    continue;
                }
                SubscriberDraft draft = new SubscriberDraft(record.get("email"), record.get("name"), record.get("customerId"),
                        list(record.get("services")), list(record.get("regions")), optional(record, "locale"),
                        optional(record, "timeZone"));
                List<Violation> violations = draft.violations();
                if (!violations.isEmpty()) {
                    violations.forEach(v -> errors.add(line, v.field(), v.reason()));
                } else {
                    rows.printRecord(line, UUID.randomUUID(), draft.email(), draft.normalizedEmail(), draft.name(),
                            draft.customerId(), array(draft.services()), array(draft.regions()), draft.locale(),
                            draft.timeZone());
                }
            }
        }
    }

    /** commons-csv reports a malformed file (an unclosed quote, bytes that are not UTF-8) from hasNext. */
    private static boolean hasNext(Iterator<CSVRecord> records, BoundedLines input) {
        try {
            return records.hasNext();
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof CharacterCodingException) {
                throw notUtf8(input);
            }
            throw notCsv(input);
        }
    }

    private static InvalidInputException notUtf8(BoundedLines input) {
        return new InvalidInputException("The file is not UTF-8 text; nothing was imported.",
                List.of(new InvalidInputException.Problem(input.line(), "body", "must be UTF-8 (bytes that are not UTF-8"
                        + " near this line)")), false);
    }

    private static InvalidInputException notCsv(BoundedLines input) {
        return new InvalidInputException("The file is not valid CSV (RFC 4180) near line " + input.line()
                + "; nothing was imported.", List.of(new InvalidInputException.Problem(input.line(), "body",
                        "must be RFC 4180 CSV: a quoted field must end with a quote followed by a comma or the end of the"
                                + " line")), false);
    }

    /** The cell of an optional column, or null when the file has no such column. */
    private static String optional(CSVRecord record, String column) {
        return record.isMapped(column) ? record.get(column) : null;
    }

    private static List<String> list(String field) {
        if (field == null || field.isBlank()) {
            return List.of();
        }
        return Arrays.stream(field.split(";", -1)).map(String::strip).filter(value -> !value.isEmpty()).toList();
    }

    /** A PostgreSQL array literal; ids are checked against their patterns first, so they need no quoting. */
    private static String array(List<String> values) {
        return "{" + String.join(",", values) + "}";
    }

    /** The first errors by line, and how many there are in all. */
    private static final class Errors {

        private final List<Problem.FieldError> first = new ArrayList<>();
        private long count;
        /** Errors of values that are well formed but cannot be served (a language, a zone): 422 when they are all. */
        private long unsupported;

        void add(long line, String field, String reason) {
            count++;
            if (SubscriberDraft.UNSUPPORTED_VALUE_FIELDS.contains(field)) {
                unsupported++;
            }
            if (first.size() < MAX_REPORTED_ERRORS) {
                first.add(new Problem.FieldError(field, reason, line));
            }
        }

        /** The first rows of a query (line, field, reason, total count), which is ordered by line and limited. */
        void addFirst(Connection connection, String sql) throws SQLException {
            try (PreparedStatement query = connection.prepareStatement(sql); ResultSet rows = query.executeQuery()) {
                boolean counted = false;
                while (rows.next()) {
                    first.add(new Problem.FieldError(rows.getString(2), rows.getString(3), rows.getLong(1)));
                    if (!counted) {
                        count += rows.getLong(4);
                        counted = true;
                    }
                }
            }
            first.sort(Comparator.comparing(Problem.FieldError::line));
            if (first.size() > MAX_REPORTED_ERRORS) {
                first.subList(MAX_REPORTED_ERRORS, first.size()).clear();
            }
        }

        void throwIfAny(boolean conflictsOnly) {
            if (count == 0) {
                return;
            }
            Problem.FieldError top = first.get(0);
            String listed = count > first.size() ? " The first " + first.size() + " are listed." : "";
            int status = conflictsOnly ? 409 : unsupported == count ? 422 : 400;
            throw new ProblemException(status, count + " error(s) in the file, the first on line "
                    + top.line() + ": " + top.field() + " " + top.reason() + "; nothing was imported." + listed, first, count,
                    Map.of());
        }
    }

    /**
     * The file as characters: a byte order mark at its start is dropped (spreadsheets write one), and no record may
     * grow beyond {@value #MAX_LINE_CHARS} characters (plus what the parser reads ahead), so that a file that is one
     * huge cell is refused before it is held in memory.
     */
    static final class BoundedLines extends FilterReader {

        /** The parser's read-ahead buffer (commons-csv reads through a BufferedReader of 8 192 characters). */
        private static final int READ_AHEAD = 8_192;

        private long read;
        private long recordStart;
        private long newlines;
        private boolean started;

        BoundedLines(Reader in) {
            super(in);
        }

        /**
         * The parser has just read a whole record (its iterator reads one ahead): what it reads from here on belongs to
         * the next record.
         */
        void recordStarts() {
            recordStart = read;
        }

        /** The physical line (from 1) the reading has reached, for messages. */
        long line() {
            return newlines + 1;
        }

        @Override
        public int read() throws IOException {
            char[] one = new char[1];
            return read(one, 0, 1) < 0 ? -1 : one[0];
        }

        @Override
        public int read(char[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0 && !started) {
                started = true;
                if (buffer[offset] == '\uFEFF') {
                    System.arraycopy(buffer, offset + 1, buffer, offset, n - 1);
                    n--;
                    if (n == 0) {
                        return read(buffer, offset, length);
                    }
                }
            }
            for (int i = offset; i < offset + Math.max(n, 0); i++) {
                if (buffer[i] == '\n') {
                    newlines++;
                }
            }
            if (n > 0) {
                read += n;
                if (read - recordStart > MAX_LINE_CHARS + 2L * READ_AHEAD) {
                    throw new InvalidInputException("A line of the file is longer than " + MAX_LINE_CHARS
                            + " characters; nothing was imported.", List.of(new InvalidInputException.Problem(line(), "line",
                                    "must be at most " + MAX_LINE_CHARS + " characters")), false);
                }
            }
            return n;
        }
    }
}

package dev.incidentplatform.localrun;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Creates the services' databases where they are missing: one database per service (no service reads another's data), on the embedded
 * server or on an external one. Existing databases are left alone, so their data survives every start.
 *
 * <pre>
 * Databases &lt;jdbc-url of a database to connect to, e.g. .../postgres&gt; &lt;user&gt; &lt;database&gt;...
 * </pre>
 *
 * The password comes from the environment ({@code PGPASSWORD}, as for psql), never from the command line, which
 * every user of the machine can read.
 */
public final class Databases {

    /** Plain lower-case names only: they are interpolated into CREATE DATABASE, which takes no parameters. */
    private static final Pattern NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    private Databases() {
    }

    public static void main(String[] args) {
        if (args.length < 3) {
            System.err.println("usage: Databases <jdbc-url> <user> <database>...   (password from PGPASSWORD)");
            System.exit(2);
        }
        String password = Objects.requireNonNullElse(System.getenv("PGPASSWORD"), "");
        try (Connection connection = DriverManager.getConnection(args[0], args[1], password)) {
            List<String> created = createMissing(connection, List.of(args).subList(2, args.length));
            System.out.println(created.isEmpty() ? "all databases exist" : "created " + String.join(", ", created));
        } catch (SQLException e) {
            System.err.println("could not create the databases at " + args[0] + " as " + args[1] + ": " + e.getMessage());
            System.exit(1);
        }
    }

    /** Creates each of {@code names} that does not exist yet; returns the ones it created. */
    public static List<String> createMissing(Connection connection, List<String> names) throws SQLException {
        List<String> created = new ArrayList<>();
        for (String name : names) {
            if (!NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("not a plain database name: " + name);
            }
            if (!exists(connection, name)) {
                // CREATE DATABASE cannot run in a transaction block; the connection is in auto-commit mode.
                try (Statement statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE \"" + name + "\"");
                    created.add(name);
                } catch (SQLException e) {
                    // Another client (a second start racing this one) created it meanwhile: that is the goal.
                    if (!"42P04".equals(e.getSQLState())) {
                        throw e;
                    }
                }
            }
        }
        return created;
    }

    private static boolean exists(Connection connection, String name) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            query.setString(1, name);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }
}

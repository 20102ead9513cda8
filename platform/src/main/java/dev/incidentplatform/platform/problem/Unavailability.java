package dev.incidentplatform.platform.problem;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

/** Tells a failure of the infrastructure a request needs (the database is unreachable) from a bug. */
public final class Unavailability {

    private Unavailability() {
    }

    /**
     * True when the cause chain holds a SQLException that means "no connection": SQL state class 08 (connection
     * exception), 57P01–57P03 (the server shuts down or is starting), 53300 (too many connections), a transient
     * connection failure, or the pool's acquisition timeout (which has no SQL state).
     */
    public static boolean databaseUnavailable(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientConnectionException) {
                return true;
            }
            if (cause instanceof SQLException sql) {
                String state = sql.getSQLState();
                if (state != null && (state.startsWith("08") || state.startsWith("57P0") || state.equals("53300"))) {
                    return true;
                }
                String message = sql.getMessage();
                if (state == null && message != null && message.toLowerCase(java.util.Locale.ROOT).contains("acquisition timeout")) {
                    return true;
                }
            }
        }
        return false;
    }
}

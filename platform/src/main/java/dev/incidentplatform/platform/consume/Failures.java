package dev.incidentplatform.platform.consume;

import java.sql.SQLException;
import java.sql.SQLRecoverableException;
import java.sql.SQLTransientException;
import java.util.Set;

import org.apache.kafka.common.errors.RetriableException;

import dev.incidentplatform.platform.problem.Unavailability;

/**
 * Tells a failure that goes away by itself (retry it, however long it takes) from one that the same event will meet
 * again (park it after a few attempts).
 */
public final class Failures {

    /**
     * PostgreSQL states a retry of the same transaction can get past: serialization failure, deadlock, lock not
     * available (lock_timeout). A server that shuts down or starts is an unreachable database already.
     */
    private static final Set<String> TRANSIENT_STATES = Set.of("40001", "40P01", "55P03");

    private Failures() {
    }

    /**
     * True when the cause chain holds an unreachable database (see {@link Unavailability}), a transient or recoverable
     * SQL failure, one of the {@link #TRANSIENT_STATES}, or a Kafka client failure Kafka itself calls retriable.
     */
    public static boolean isTransient(Throwable failure) {
        if (Unavailability.databaseUnavailable(failure)) {
            return true;
        }
        for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof SQLTransientException || cause instanceof SQLRecoverableException
                    || cause instanceof RetriableException) {
                return true;
            }
            if (cause instanceof SQLException sql && sql.getSQLState() != null
                    && TRANSIENT_STATES.contains(sql.getSQLState())) {
                return true;
            }
        }
        return false;
    }

    /** The failure as a parked event shows it: the innermost cause that says something, class and message. */
    static Throwable rootCause(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root;
    }
}

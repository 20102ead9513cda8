package dev.incidentplatform.notification.subscriber;

import dev.incidentplatform.platform.problem.ProblemException;

/** An If-Match that names a version the subscriber no longer has: someone changed it in between. */
public class StaleVersionException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public StaleVersionException(long expected, long actual) {
        super(412, "The subscriber is at version " + actual + ", not " + expected + "; read it again and retry.");
    }
}

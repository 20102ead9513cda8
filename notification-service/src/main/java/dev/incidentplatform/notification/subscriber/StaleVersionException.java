package dev.incidentplatform.notification.subscriber;

/** An If-Match that names a version the subscriber no longer has: someone changed it in between. */
public class StaleVersionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public StaleVersionException(long expected, long actual) {
        super("The subscriber is at version " + actual + ", not " + expected + "; read it again and retry.");
    }
}

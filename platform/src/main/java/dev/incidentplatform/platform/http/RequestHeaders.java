package dev.incidentplatform.platform.http;

import java.util.regex.Pattern;

import dev.incidentplatform.platform.problem.ProblemException;

/** The request headers every service reads, with one syntax each. */
public final class RequestHeaders {

    public static final String IDEMPOTENCY_KEY = "Idempotency-Key";
    /** Set on an answer replayed for a repeated Idempotency-Key. */
    public static final String IDEMPOTENT_REPLAYED = "Idempotent-Replayed";
    public static final String CORRELATION_ID = "X-Correlation-Id";
    public static final String REQUEST_ID = "X-Request-Id";
    public static final String TRACEPARENT = "traceparent";

    /** 1 to 255 visible ASCII characters (a UUID is a good key). */
    private static final Pattern IDEMPOTENCY_KEY_SYNTAX = Pattern.compile("[\\x21-\\x7E]{1,255}");
    /** Letters, digits and . _ : - (a UUID, a ticket number, a trace id), 1 to 128. */
    private static final Pattern CORRELATION_SYNTAX = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
    /** W3C Trace Context level 1, version 00: 00-<32 hex trace id>-<16 hex parent id>-<2 hex flags>, ids not all zero. */
    private static final Pattern TRACEPARENT_SYNTAX = Pattern.compile("00-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}");
    /** Future versions may append fields after a dash; the first four parts are read as version 00's. */
    private static final Pattern TRACEPARENT_FUTURE = Pattern.compile("(?!ff)[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}(-.*)?");

    private RequestHeaders() {
    }

    public static final String IDEMPOTENCY_KEY_RULE = "must be 1 to 255 visible ASCII characters (a UUID is a good key)";
    public static final String CORRELATION_RULE = "must be 1 to 128 letters, digits, '.', '_', ':' or '-'";

    /** The key, or null when absent; 400 when it breaks the syntax. */
    public static String idempotencyKey(String header) {
        if (header == null) {
            return null;
        }
        if (!IDEMPOTENCY_KEY_SYNTAX.matcher(header).matches()) {
            throw ProblemException.field(IDEMPOTENCY_KEY, IDEMPOTENCY_KEY_RULE);
        }
        return header;
    }

    /** A correlation or request id, or null when absent; 400 when it breaks the syntax. */
    public static String correlationId(String name, String header) {
        if (header == null) {
            return null;
        }
        if (!CORRELATION_SYNTAX.matcher(header).matches()) {
            throw ProblemException.field(name, CORRELATION_RULE);
        }
        return header;
    }

    /** The traceparent if it is valid W3C Trace Context, else null: an invalid one is ignored, as the spec says. */
    public static String traceparent(String header) {
        if (header == null) {
            return null;
        }
        var version00 = TRACEPARENT_SYNTAX.matcher(header);
        var future = TRACEPARENT_FUTURE.matcher(header);
        var match = version00.matches() ? version00 : header.startsWith("00-") ? null : future.matches() ? future : null;
        if (match == null || match.group(1).chars().allMatch(c -> c == '0') || match.group(2).chars().allMatch(c -> c == '0')) {
            return null;
        }
        return header;
    }
}

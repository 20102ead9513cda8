package dev.incidentplatform.notification.api;

import java.util.regex.Pattern;

import jakarta.ws.rs.core.HttpHeaders;

import dev.incidentplatform.platform.problem.ProblemException;

/** The version ETags of subscribers and webhook endpoints ({@code "3"}), read back from {@code If-Match}. */
final class VersionTags {

    private static final Pattern VERSION_TAG = Pattern.compile("(W/)?\"([0-9]{1,18})\"");

    private VersionTags() {
    }

    /** {@code If-Match: "3"} (or {@code W/"3"}) → 3; absent → no check. */
    static Long fromIfMatch(String ifMatch) {
        if (ifMatch == null) {
            return null;
        }
        var match = VERSION_TAG.matcher(ifMatch.strip());
        if (!match.matches()) {
            throw ProblemException.field(HttpHeaders.IF_MATCH, "must be the ETag of a GET, e.g. \"3\"");
        }
        return Long.parseLong(match.group(2));
    }
}

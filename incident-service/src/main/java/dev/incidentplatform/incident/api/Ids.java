package dev.incidentplatform.incident.api;

import java.util.regex.Pattern;

/**
 * Ids in paths are UUIDs in their canonical form, 8-4-4-4-12 hex digits: UUID.fromString alone would also take
 * "1-1-1-1-1" as another spelling of some id. Anything else names nothing, so it is 404, like an unknown id.
 */
final class Ids {

    private static final Pattern UUID = Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private Ids() {
    }

    static boolean isUuid(String id) {
        return id != null && UUID.matcher(id).matches();
    }
}

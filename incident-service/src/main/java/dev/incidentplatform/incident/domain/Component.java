package dev.incidentplatform.incident.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One entry of an incident's components: a service in some regions, or in every region ({@code ["global"]}), with a
 * status. Fields may be null only while a command is being validated.
 */
public record Component(String service, List<String> regions, ComponentStatus status) {

    public static final String GLOBAL = "global";

    /** A service's name, the same syntax in every service of the platform. */
    public static final String SERVICE_RULE = "must be 1 to 64 lower-case letters, digits, '.', '_' or '-', starting with a letter or digit";
    /** A region's name ({@value #GLOBAL} is one). */
    public static final String REGION_RULE = "must be 1 to 64 lower-case letters, digits or '-', starting with a letter or digit";

    private static final Pattern SERVICE = Pattern.compile("^[a-z0-9][a-z0-9._-]{0,63}$");
    private static final Pattern REGION = Pattern.compile("^[a-z0-9][a-z0-9-]{0,63}$");

    public static boolean isService(String name) {
        return name != null && SERVICE.matcher(name).matches();
    }

    public static boolean isRegion(String name) {
        return name != null && REGION.matcher(name).matches();
    }

    public Component {
        // Not List.copyOf: a command may hold a null region, which the aggregate reports by its position.
        regions = regions == null ? null : Collections.unmodifiableList(new ArrayList<>(regions));
    }
}

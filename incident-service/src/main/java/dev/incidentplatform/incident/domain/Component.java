package dev.incidentplatform.incident.domain;

import java.util.List;

/**
 * One entry of an incident's components: a service in some regions, or in every region ({@code ["global"]}), with a
 * status. Fields may be null only while a command is being validated.
 */
public record Component(String service, List<String> regions, ComponentStatus status) {

    public static final String GLOBAL = "global";

    public Component {
        regions = regions == null ? null : List.copyOf(regions);
    }
}

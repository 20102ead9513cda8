package dev.incidentplatform.incident.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The current status of one service in each region, from the components of every unresolved incident that names it.
 * A region's status under one incident follows contracts/README.md (the entry naming it, else the incident's global
 * entry); across incidents the worst wins. Only what is not operational is listed: a region that no incident
 * degrades is operational.
 */
public final class StatusBoard {

    private StatusBoard() {
    }

    /** One (incident, region, status) row of one service. */
    public record IncidentComponent(UUID incidentId, String region, ComponentStatus status) {
    }

    public record Cause(UUID incidentId, ComponentStatus status) {
    }

    public record RegionStatus(String region, ComponentStatus status, List<Cause> incidents) {
    }

    /** The service's regions ({@code global} included when an incident names it) sorted by name. */
    public static List<RegionStatus> of(List<IncidentComponent> rows) {
        Map<UUID, Map<String, ComponentStatus>> byIncident = new TreeMap<>();
        List<String> regions = new ArrayList<>();
        for (IncidentComponent row : rows) {
            byIncident.computeIfAbsent(row.incidentId(), id -> new LinkedHashMap<>()).put(row.region(), row.status());
            if (!regions.contains(row.region())) {
                regions.add(row.region());
            }
        }
        regions.sort(Comparator.naturalOrder());
        List<RegionStatus> board = new ArrayList<>();
        for (String region : regions) {
            List<Cause> causes = new ArrayList<>();
            byIncident.forEach((incident, statuses) -> {
                ComponentStatus status = statuses.containsKey(region) ? statuses.get(region) : statuses.get(Component.GLOBAL);
                if (status != null && status != ComponentStatus.OPERATIONAL) {
                    causes.add(new Cause(incident, status));
                }
            });
            if (causes.isEmpty()) {
                continue;
            }
            causes.sort(Comparator.comparing((Cause cause) -> -cause.status().rank()).thenComparing(Cause::incidentId));
            board.add(new RegionStatus(region, causes.get(0).status(), List.copyOf(causes)));
        }
        return board;
    }
}

package dev.incidentplatform.compensation.domain;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * A service's downtime for customers in some regions in one billing month, over all resolved incidents: the union of
 * their windows (overlapping incidents count once), clipped to the month.
 */
public record MonthlyDowntime(String service, RegionSet regions, BillingMonth month, List<TimeWindow> windows,
        List<UUID> incidentIds, Uptime uptime) {

    public static MonthlyDowntime of(Collection<IncidentTimeline> incidents, String service, RegionSet regions,
            BillingMonth month) {
        List<TimeWindow> all = new ArrayList<>();
        List<UUID> contributing = new ArrayList<>();
        for (IncidentTimeline incident : incidents) {
            if (!incident.isResolved()) {
                continue; // credited when it resolves
            }
            List<TimeWindow> inMonth = TimeWindow.clip(incident.downtime(service, regions), month.window());
            if (!inMonth.isEmpty()) {
                all.addAll(inMonth);
                contributing.add(incident.incidentId());
            }
        }
        List<TimeWindow> union = TimeWindow.union(all);
        Duration downtime = TimeWindow.total(union);
        return new MonthlyDowntime(service, regions, month, union, contributing.stream().sorted().toList(),
                Uptime.of(downtime, month));
    }

    public boolean isZero() {
        return windows.isEmpty();
    }
}

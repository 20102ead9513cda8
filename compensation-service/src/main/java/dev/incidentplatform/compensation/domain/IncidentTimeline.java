package dev.incidentplatform.compensation.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * An incident's impact over time, from its events' status changes.
 *
 * <p>Which state holds at time t: of the events that took effect at or before t, the one written last (highest stream
 * version). So a backdated update ({@code effectiveAt} earlier than earlier updates) replaces what those said from its
 * effective time on: it is the newest knowledge and carries every component. Impact ends at the {@code effectiveAt}
 * of the first resolving update; anything written after it is ignored.
 *
 * <p>The status of a service in region r is the entry naming r, else the service's {@code global} entry, else
 * operational (contracts/README.md).
 */
public final class IncidentTimeline {

    /** The end of a window that is still open (the incident is not resolved). */
    public static final Instant OPEN = Instant.parse("9999-12-31T23:59:59Z");

    private final UUID incidentId;
    private final List<StatusChange> changes;
    private final Instant resolvedAt;

    public IncidentTimeline(UUID incidentId, List<StatusChange> changes) {
        this.incidentId = incidentId;
        List<StatusChange> byVersion = changes.stream().sorted(Comparator.comparingLong(StatusChange::streamVersion)).toList();
        List<StatusChange> relevant = new ArrayList<>();
        Instant resolution = null;
        for (StatusChange change : byVersion) {
            relevant.add(change);
            if (change.resolves()) {
                resolution = change.effectiveAt();
                break;
            }
        }
        this.changes = List.copyOf(relevant);
        this.resolvedAt = resolution;
    }

    public UUID incidentId() {
        return incidentId;
    }

    public boolean isResolved() {
        return resolvedAt != null;
    }

    public Optional<Instant> resolvedAt() {
        return Optional.ofNullable(resolvedAt);
    }

    /** The services any event of the incident names. */
    public TreeSet<String> services() {
        TreeSet<String> services = new TreeSet<>();
        changes.forEach(change -> change.components().forEach(component -> services.add(component.service())));
        return services;
    }

    /**
     * When {@code service} was down for a customer in {@code regions}: for {@code global} customers, whenever the
     * service was down anywhere; otherwise whenever it was down in one of their regions. Disjoint, sorted; the last
     * window ends at {@link #OPEN} while the incident is not resolved.
     */
    public List<TimeWindow> downtime(String service, RegionSet regions) {
        return windowsWhere(components -> isDown(components, service, regions));
    }

    /**
     * Downtime of {@code service} per region key, for storage and explanation: every concrete region some event names
     * for it, plus {@code global} for the regions no event names (the global entry's own downtime).
     */
    public Map<String, List<TimeWindow>> downtimeByRegion(String service) {
        Map<String, List<TimeWindow>> byRegion = new LinkedHashMap<>();
        TreeSet<String> named = new TreeSet<>();
        changes.forEach(change -> change.components().stream()
                .filter(component -> component.service().equals(service) && !component.regions().isGlobal())
                .forEach(component -> named.addAll(component.regions().regions())));
        for (String region : named) {
            putIfAny(byRegion, region, downtime(service, RegionSet.of(List.of(region))));
        }
        putIfAny(byRegion, RegionSet.GLOBAL, windowsWhere(components -> components.stream().anyMatch(component ->
                component.service().equals(service) && component.regions().isGlobal() && component.status().isDowntime())));
        return byRegion;
    }

    private static void putIfAny(Map<String, List<TimeWindow>> map, String key, List<TimeWindow> windows) {
        if (!windows.isEmpty()) {
            map.put(key, windows);
        }
    }

    static boolean isDown(List<ComponentState> components, String service, RegionSet customer) {
        List<ComponentState> ofService = components.stream().filter(c -> c.service().equals(service)).toList();
        if (customer.isGlobal()) {
            return ofService.stream().anyMatch(c -> c.status().isDowntime());
        }
        return customer.regions().stream().anyMatch(region -> statusIn(ofService, region).isDowntime());
    }

    private static ComponentStatus statusIn(List<ComponentState> ofService, String region) {
        List<ComponentState> naming = ofService.stream().filter(c -> c.regions().regions().contains(region)).toList();
        if (!naming.isEmpty()) {
            // One entry should name a region; if several do, the worst counts (the customer is not short-changed).
            return naming.stream().anyMatch(c -> c.status().isDowntime()) ? ComponentStatus.MAJOR_OUTAGE : naming.get(0).status();
        }
        return ofService.stream().filter(c -> c.regions().isGlobal()).map(ComponentState::status).findFirst()
                .orElse(ComponentStatus.OPERATIONAL);
    }

    private List<TimeWindow> windowsWhere(Predicate<List<ComponentState>> down) {
        Instant end = resolvedAt != null ? resolvedAt : OPEN;
        TreeSet<Instant> breakpoints = new TreeSet<>();
        changes.stream().filter(change -> !change.resolves()).map(StatusChange::effectiveAt)
                .filter(at -> at.isBefore(end)).forEach(breakpoints::add);
        List<TimeWindow> windows = new ArrayList<>();
        List<Instant> points = new ArrayList<>(breakpoints);
        for (int i = 0; i < points.size(); i++) {
            Instant from = points.get(i);
            Instant to = i + 1 < points.size() ? points.get(i + 1) : end;
            if (down.test(stateAt(from))) {
                windows.add(new TimeWindow(from, to));
            }
        }
        return TimeWindow.union(windows);
    }

    /** The components of the latest-written event that took effect at or before {@code at}. */
    private List<ComponentState> stateAt(Instant at) {
        return changes.stream().filter(change -> !change.resolves() && !change.effectiveAt().isAfter(at))
                .max(Comparator.comparingLong(StatusChange::streamVersion))
                .map(StatusChange::components).orElse(List.of());
    }
}

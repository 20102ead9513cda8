package dev.incidentplatform.incident.domain;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An incident's components as a map (service, region) → status, where region may be {@code global}. Keeps the order
 * in which services and regions were first named, so that the component lists it writes are stable.
 *
 * <p>The status of a service in a region follows contracts/README.md: the entry naming the region, else the
 * service's {@code global} entry, else operational.
 */
public final class ComponentMap {

    /** At most this many components (entries) per incident, as the contracts allow. */
    public static final int MAX_ENTRIES = 100;
    /** At most this many regions per entry, as the contracts allow. */
    public static final int MAX_REGIONS_PER_ENTRY = 100;

    private final Map<String, Map<String, ComponentStatus>> byService;

    private ComponentMap(Map<String, Map<String, ComponentStatus>> byService) {
        this.byService = byService;
    }

    /** The map of already validated components. */
    public static ComponentMap of(List<Component> components) {
        return new ComponentMap(new LinkedHashMap<>()).with(components);
    }

    /** A copy in which every (service, region) the given components name takes their status; the rest keep theirs. */
    public ComponentMap with(List<Component> changes) {
        Map<String, Map<String, ComponentStatus>> copy = new LinkedHashMap<>();
        byService.forEach((service, regions) -> copy.put(service, new LinkedHashMap<>(regions)));
        for (Component change : changes) {
            Map<String, ComponentStatus> regions = copy.computeIfAbsent(change.service(), s -> new LinkedHashMap<>());
            for (String region : change.regions()) {
                regions.put(region, change.status());
            }
        }
        return new ComponentMap(copy);
    }

    /** The status of {@code service} in the concrete {@code region} (or in {@code global}). */
    public ComponentStatus statusOf(String service, String region) {
        Map<String, ComponentStatus> regions = byService.getOrDefault(service, Map.of());
        ComponentStatus named = regions.get(region);
        if (named != null) {
            return named;
        }
        return regions.getOrDefault(Component.GLOBAL, ComponentStatus.OPERATIONAL);
    }

    public ComponentStatus worst() {
        ComponentStatus worst = ComponentStatus.OPERATIONAL;
        for (Map<String, ComponentStatus> regions : byService.values()) {
            for (ComponentStatus status : regions.values()) {
                if (status.worseThan(worst)) {
                    worst = status;
                }
            }
        }
        return worst;
    }

    public Impact impact() {
        return Impact.of(worst());
    }

    public Set<String> services() {
        return Collections.unmodifiableSet(byService.keySet());
    }

    /** Every region any service names ({@code global} included), in first-named order. */
    public Set<String> regions() {
        Set<String> regions = new LinkedHashSet<>();
        byService.values().forEach(byRegion -> regions.addAll(byRegion.keySet()));
        return regions;
    }

    /** Every (service, region, status) the map holds, {@code global} included. */
    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        byService.forEach((service, regions) -> regions.forEach((region, status) -> entries.add(new Entry(service, region, status))));
        return entries;
    }

    public record Entry(String service, String region, ComponentStatus status) {
    }

    /**
     * The map as a component list: per service, its {@code global} entry alone, then one entry per status listing the
     * regions with that status (split so that no entry lists more than {@value #MAX_REGIONS_PER_ENTRY} regions).
     */
    public List<Component> toComponents() {
        List<Component> components = new ArrayList<>();
        byService.forEach((service, regions) -> {
            ComponentStatus global = regions.get(Component.GLOBAL);
            if (global != null) {
                components.add(new Component(service, List.of(Component.GLOBAL), global));
            }
            Map<ComponentStatus, List<String>> byStatus = new LinkedHashMap<>();
            regions.forEach((region, status) -> {
                if (!region.equals(Component.GLOBAL)) {
                    byStatus.computeIfAbsent(status, s -> new ArrayList<>()).add(region);
                }
            });
            byStatus.forEach((status, names) -> {
                for (int from = 0; from < names.size(); from += MAX_REGIONS_PER_ENTRY) {
                    components.add(new Component(service, names.subList(from, Math.min(names.size(), from + MAX_REGIONS_PER_ENTRY)), status));
                }
            });
        });
        return components;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof ComponentMap map && map.byService.equals(byService);
    }

    @Override
    public int hashCode() {
        return byService.hashCode();
    }

    @Override
    public String toString() {
        return byService.toString();
    }
}

package dev.incidentplatform.compensation.domain;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The regions a contract (or an incident component) covers: exactly {@code [global]} (every region) or distinct
 * concrete regions, kept sorted so that equal sets compare equal everywhere (Java, SQL arrays, JSON).
 */
public record RegionSet(List<String> regions) {

    public static final String GLOBAL = "global";
    private static final Pattern REGION = Pattern.compile("[a-z0-9][a-z0-9-]{0,63}");

    public RegionSet {
        regions = List.copyOf(regions);
    }

    /** Validates and normalises; the message says what is wrong. */
    public static RegionSet of(Collection<String> regions) {
        if (regions == null || regions.isEmpty()) {
            throw new IllegalArgumentException("name at least one region, or [\"global\"] for every region");
        }
        TreeSet<String> sorted = new TreeSet<>();
        for (String region : regions) {
            if (region == null || !REGION.matcher(region).matches()) {
                throw new IllegalArgumentException("'" + region + "' is not a region (lowercase letters, digits and '-')");
            }
            if (!sorted.add(region)) {
                throw new IllegalArgumentException("region '" + region + "' is listed twice");
            }
        }
        if (sorted.contains(GLOBAL) && sorted.size() > 1) {
            throw new IllegalArgumentException("\"global\" already covers every region; list it alone");
        }
        return new RegionSet(List.copyOf(sorted));
    }

    public static RegionSet global() {
        return new RegionSet(List.of(GLOBAL));
    }

    public boolean isGlobal() {
        return regions.size() == 1 && regions.get(0).equals(GLOBAL);
    }

    @Override
    public String toString() {
        return String.join(";", regions);
    }
}

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
    /** No real deployment has more; a longer list is a mistake (or an attack on the crediting join). */
    public static final int MAX_REGIONS = 100;

    public RegionSet {
        regions = List.copyOf(regions);
    }

    /** Validates and normalises; the message says what is wrong. */
    public static RegionSet of(Collection<String> regions) {
        if (regions == null || regions.isEmpty()) {
            throw new IllegalArgumentException("name at least one region, or [\"global\"] for every region");
        }
        if (regions.size() > MAX_REGIONS) {
            throw new IllegalArgumentException("at most " + MAX_REGIONS + " regions; " + regions.size() + " were sent");
        }
        TreeSet<String> sorted = new TreeSet<>();
        int index = 0;
        for (String region : regions) {
            if (region == null || !REGION.matcher(region).matches()) {
                // The value is not echoed: it may be anything at all.
                throw new IllegalArgumentException("the region at position " + index + " is not a region name (1 to 64"
                        + " lowercase letters, digits and '-', starting with a letter or digit)");
            }
            index++;
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

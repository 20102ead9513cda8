package dev.incidentplatform.compensation.domain;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;

/** Builds incident timelines for tests: opened → updates → resolved, with explicit effective times. */
final class Fixtures {

    static final Policy AZURE_99_9 = new Policy("azure-99.9", 1, PolicyKind.MONEY,
            List.of(Tier.money("99.9", "10"), Tier.money("99", "25")));
    static final Policy M365_99_9 = new Policy("m365-99.9", 1, PolicyKind.MONEY,
            List.of(Tier.money("99.9", "25"), Tier.money("99", "50"), Tier.money("95", "100")));
    static final Policy EXTENSION_99_9 = new Policy("extension-99.9", 1, PolicyKind.EXTENSION,
            List.of(Tier.extension("99.9", 3), Tier.extension("99", 7), Tier.extension("95", 30)));

    private Fixtures() {
    }

    static ComponentState component(String service, String status, String... regions) {
        return new ComponentState(service, RegionSet.of(Arrays.asList(regions)), ComponentStatus.fromWire(status));
    }

    static Builder incident() {
        return new Builder();
    }

    static final class Builder {
        private final UUID id = UUID.randomUUID();
        private final List<StatusChange> changes = new ArrayList<>();

        Builder at(String effectiveAt, ComponentState... components) {
            changes.add(new StatusChange(changes.size() + 1, Instant.parse(effectiveAt), false, List.of(components)));
            return this;
        }

        Builder resolvedAt(String effectiveAt) {
            changes.add(new StatusChange(changes.size() + 1, Instant.parse(effectiveAt), true, List.of()));
            return this;
        }

        IncidentTimeline build() {
            return new IncidentTimeline(id, changes);
        }
    }

    /** A resolved incident with the service down (major outage, global) from start to end. */
    static IncidentTimeline outage(String service, String start, String end) {
        return incident().at(start, component(service, "major_outage", "global")).resolvedAt(end).build();
    }
}

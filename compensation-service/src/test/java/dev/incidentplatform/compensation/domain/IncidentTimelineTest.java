package dev.incidentplatform.compensation.domain;

import static dev.incidentplatform.compensation.domain.Fixtures.component;
import static dev.incidentplatform.compensation.domain.Fixtures.incident;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Outage windows from component statuses: the region rule of contracts/README.md and the resolution. */
class IncidentTimelineTest {

    private static final RegionSet EU = RegionSet.of(List.of("eu-west"));
    private static final RegionSet US = RegionSet.of(List.of("us-east"));
    private static final RegionSet AP = RegionSet.of(List.of("ap-south"));

    @Test
    void aNamedRegionOverridesTheGlobalEntry() {
        // global major outage, but eu-west explicitly operational: eu-west customers had no downtime, others (ap-south)
        // and global customers had 60 min.
        IncidentTimeline incident = incident().at("2024-07-19T04:00:00Z", component("vm", "major_outage", "global"),
                component("vm", "operational", "eu-west")).resolvedAt("2024-07-19T05:00:00Z").build();
        assertThat(incident.downtime("vm", EU)).isEmpty();
        assertThat(TimeWindow.total(incident.downtime("vm", AP))).hasMinutes(60);
        assertThat(TimeWindow.total(incident.downtime("vm", RegionSet.global()))).hasMinutes(60);
        assertThat(incident.downtimeByRegion("vm")).containsOnlyKeys("global");
    }

    @Test
    void theResolutionEndsEveryWindowAndLaterEventsAreIgnored() {
        IncidentTimeline incident = incident().at("2024-07-19T04:00:00Z", component("vm", "major_outage", "us-east"))
                .resolvedAt("2024-07-19T04:30:00Z")
                .at("2024-07-19T05:00:00Z", component("vm", "major_outage", "us-east")).build();
        assertThat(incident.resolvedAt()).contains(Instant.parse("2024-07-19T04:30:00Z"));
        assertThat(incident.downtime("vm", US)).containsExactly(
                new TimeWindow(Instant.parse("2024-07-19T04:00:00Z"), Instant.parse("2024-07-19T04:30:00Z")));
    }

    @Test
    void anOpenIncidentsWindowStaysOpen() {
        IncidentTimeline incident = incident().at("2024-07-19T04:00:00Z", component("vm", "partial_outage", "us-east")).build();
        assertThat(incident.downtime("vm", US)).singleElement()
                .satisfies(window -> assertThat(window.end()).isEqualTo(IncidentTimeline.OPEN));
    }

    @Test
    void unionMergesOverlappingAndTouchingWindows() {
        Instant t0 = Instant.parse("2024-07-01T00:00:00Z");
        List<TimeWindow> union = TimeWindow.union(List.of(new TimeWindow(t0.plusSeconds(600), t0.plusSeconds(900)),
                new TimeWindow(t0, t0.plusSeconds(300)), new TimeWindow(t0.plusSeconds(300), t0.plusSeconds(400)),
                new TimeWindow(t0.plusSeconds(700), t0.plusSeconds(800))));
        assertThat(union).containsExactly(new TimeWindow(t0, t0.plusSeconds(400)), new TimeWindow(t0.plusSeconds(600), t0.plusSeconds(900)));
    }
}

package dev.incidentplatform.incident.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.incident.domain.StatusBoard.Cause;
import dev.incidentplatform.incident.domain.StatusBoard.IncidentComponent;
import dev.incidentplatform.incident.domain.StatusBoard.RegionStatus;

/** Given the components of the unresolved incidents of one service, the status of each of its regions. */
class StatusBoardTest {

    private static final UUID A = UUID.fromString("00000000-0000-0000-0000-00000000000a");
    private static final UUID B = UUID.fromString("00000000-0000-0000-0000-00000000000b");

    @Test
    void theWorstStatusWinsAndAGlobalEntryCoversRegionsItDoesNotName() {
        List<RegionStatus> board = StatusBoard.of(List.of(
                new IncidentComponent(A, "global", ComponentStatus.MAJOR_OUTAGE),
                new IncidentComponent(A, "eu-west", ComponentStatus.DEGRADED_PERFORMANCE),
                new IncidentComponent(B, "eu-west", ComponentStatus.PARTIAL_OUTAGE),
                new IncidentComponent(B, "us-east", ComponentStatus.UNDER_MAINTENANCE)));

        assertThat(board).containsExactly(
                new RegionStatus("eu-west", ComponentStatus.PARTIAL_OUTAGE,
                        List.of(new Cause(B, ComponentStatus.PARTIAL_OUTAGE), new Cause(A, ComponentStatus.DEGRADED_PERFORMANCE))),
                new RegionStatus("global", ComponentStatus.MAJOR_OUTAGE, List.of(new Cause(A, ComponentStatus.MAJOR_OUTAGE))),
                new RegionStatus("us-east", ComponentStatus.MAJOR_OUTAGE,
                        List.of(new Cause(A, ComponentStatus.MAJOR_OUTAGE), new Cause(B, ComponentStatus.UNDER_MAINTENANCE))));
    }

    @Test
    void operationalRegionsAreNotListed() {
        assertThat(StatusBoard.of(List.of(new IncidentComponent(A, "eu-west", ComponentStatus.OPERATIONAL)))).isEmpty();
        assertThat(StatusBoard.of(List.of())).isEmpty();
    }
}

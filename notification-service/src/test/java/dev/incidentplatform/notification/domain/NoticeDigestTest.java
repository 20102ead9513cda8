package dev.incidentplatform.notification.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.domain.event.IncidentOpened;
import dev.incidentplatform.notification.domain.event.UpdatePosted;

class NoticeDigestTest {

    private static final UUID INCIDENT = UUID.fromString("7d0c2a4e-5b1f-4c7e-9a51-2f3b8d6e1c90");
    private static final List<Component> COMPONENTS = List.of(new Component("teams", List.of("global"), "major_outage"));

    @Test
    void showsTheLatestStateAndEveryUpdateInStreamOrder() {
        IncidentNotice opened = IncidentNotice.of(new IncidentOpened(UUID.randomUUID(), Instant.now(), INCIDENT, 1, "Teams down",
                "SEV1", "investigating", COMPONENTS, Instant.now(), "Looking", "a"));
        IncidentNotice.IncidentState known = new IncidentNotice.IncidentState("Teams down", "SEV1", "investigating");
        IncidentNotice identified = IncidentNotice.of(new UpdatePosted(UUID.randomUUID(), Instant.now(), INCIDENT, 2,
                UUID.randomUUID(), "identified", "Found it", COMPONENTS, Instant.now(), "a"), known);
        IncidentNotice monitoring = IncidentNotice.of(new UpdatePosted(UUID.randomUUID(), Instant.now(), INCIDENT, 3,
                UUID.randomUUID(), "monitoring", "Fixed, watching", COMPONENTS, Instant.now(), "a"), known);

        NoticeDigest digest = NoticeDigest.of(List.of(monitoring, opened, identified));

        assertThat(digest.latest()).isEqualTo(monitoring);
        assertThat(digest.updates()).containsExactly(opened, identified, monitoring);
        assertThat(digest.coalesced()).isTrue();
        assertThat(digest.latest().title()).isEqualTo("Teams down");
        assertThat(digest.latest().severity()).isEqualTo("SEV1");
        assertThat(digest.latest().shortId()).isEqualTo("7d0c2a4e");
    }

    @Test
    void anUpdateOfAnIncidentNeverSeenOpenedStillHasATitle() {
        IncidentNotice update = IncidentNotice.of(new UpdatePosted(UUID.randomUUID(), Instant.now(), INCIDENT, 2,
                UUID.randomUUID(), "identified", "Found it", COMPONENTS, Instant.now(), "a"), null);
        assertThat(update.title()).isEqualTo("Incident 7d0c2a4e");
        assertThat(update.severity()).isNull();
        assertThat(NoticeDigest.of(List.of(update)).coalesced()).isFalse();
    }

    @Test
    void anEmptyDigestIsABug() {
        assertThatThrownBy(() -> NoticeDigest.of(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}

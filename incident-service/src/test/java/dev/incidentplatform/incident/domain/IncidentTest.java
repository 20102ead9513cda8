package dev.incidentplatform.incident.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.incident.domain.CommandRejected.Reason;
import dev.incidentplatform.incident.domain.IncidentCommand.OpenIncident;
import dev.incidentplatform.incident.domain.IncidentCommand.PostUpdate;
import dev.incidentplatform.incident.domain.IncidentCommand.PublishReview;
import dev.incidentplatform.incident.domain.IncidentEvent.IncidentOpened;
import dev.incidentplatform.incident.domain.IncidentEvent.ReviewPublished;
import dev.incidentplatform.incident.domain.IncidentEvent.UpdatePosted;
import dev.incidentplatform.testsupport.PlainJava;

/** The aggregate's rules: given events, when a command, then the event it decides or the rejection. */
class IncidentTest {

    private static final Instant NOW = Instant.parse("2024-07-19T05:02:11Z");
    private static final UUID ID = UUID.fromString("7d0c2a4e-5b1f-4c7e-9a51-2f3b8d6e1c90");
    private static final String ALICE = "alice@ops.example";

    private static Component component(String service, ComponentStatus status, String... regions) {
        return new Component(service, List.of(regions), status);
    }

    private static OpenIncident open(List<Component> components) {
        return new OpenIncident(ID, "VMs crash on boot", Severity.SEV1, null, "Investigating", null, components, ALICE);
    }

    private static IncidentOpened opened() {
        return Incident.open(new OpenIncident(ID, "VMs crash on boot", Severity.SEV1, null, "Investigating",
                NOW.minus(Duration.ofHours(1)), List.of(component("azure-vms", ComponentStatus.MAJOR_OUTAGE, "global"),
                        component("teams", ComponentStatus.PARTIAL_OUTAGE, "eu-west", "us-east")), ALICE), NOW);
    }

    private static PostUpdate update(IncidentStatus status, List<Component> components, Instant effectiveAt) {
        return new PostUpdate(UUID.randomUUID(), status, "Progress", components, effectiveAt, ALICE);
    }

    private static Incident given(IncidentEvent... events) {
        return Incident.from(List.of(events));
    }

    /** A violation's part and positions, {@code components.region[4, 1]}. */
    private static String where(Violation violation) {
        return violation.field() + (violation.positions().isEmpty() ? "" : violation.positions());
    }

    private static CommandRejected rejection(Runnable command) {
        try {
            command.run();
        } catch (CommandRejected rejected) {
            return rejected;
        }
        throw new AssertionError("The command was accepted");
    }

    @Test
    void domainIsPlainJava() {
        PlainJava.assertFrameworkFree("dev.incidentplatform.incident.domain");
    }

    @Test
    void openingDefaultsToInvestigatingNowAndDerivesImpactFromTheWorstComponent() {
        IncidentOpened event = Incident.open(open(List.of(component("teams", ComponentStatus.DEGRADED_PERFORMANCE, "eu-west"),
                component("azure-vms", ComponentStatus.PARTIAL_OUTAGE, "global"))), NOW);

        assertThat(event.status()).isEqualTo(IncidentStatus.INVESTIGATING);
        assertThat(event.startedAt()).isEqualTo(NOW);
        assertThat(event.impact()).isEqualTo(Impact.MAJOR);
        assertThat(event.author()).isEqualTo(ALICE);
        assertThat(event.components()).containsExactly(component("teams", ComponentStatus.DEGRADED_PERFORMANCE, "eu-west"),
                component("azure-vms", ComponentStatus.PARTIAL_OUTAGE, "global"));
    }

    @Test
    void impactFollowsTheContractTable() {
        assertThat(Impact.of(ComponentStatus.MAJOR_OUTAGE)).isEqualTo(Impact.CRITICAL);
        assertThat(Impact.of(ComponentStatus.PARTIAL_OUTAGE)).isEqualTo(Impact.MAJOR);
        assertThat(Impact.of(ComponentStatus.DEGRADED_PERFORMANCE)).isEqualTo(Impact.MINOR);
        assertThat(Impact.of(ComponentStatus.UNDER_MAINTENANCE)).isEqualTo(Impact.NONE);
        assertThat(Impact.of(ComponentStatus.OPERATIONAL)).isEqualTo(Impact.NONE);
    }

    @Test
    void aBackfilledStartInThePastIsAcceptedButNotOneInTheFuture() {
        Instant past = NOW.minus(Duration.ofDays(3));
        OpenIncident backfilled = new OpenIncident(ID, "t", Severity.SEV2, null, "m", past,
                List.of(component("teams", ComponentStatus.MAJOR_OUTAGE, "global")), ALICE);
        assertThat(Incident.open(backfilled, NOW).startedAt()).isEqualTo(past);

        OpenIncident withinSkew = new OpenIncident(ID, "t", Severity.SEV2, null, "m", NOW.plusSeconds(100),
                List.of(component("teams", ComponentStatus.MAJOR_OUTAGE, "global")), ALICE);
        assertThat(Incident.open(withinSkew, NOW).startedAt()).isEqualTo(NOW.plusSeconds(100));

        OpenIncident future = new OpenIncident(ID, "t", Severity.SEV2, null, "m", NOW.plus(Duration.ofMinutes(3)),
                List.of(component("teams", ComponentStatus.MAJOR_OUTAGE, "global")), ALICE);
        assertThat(rejection(() -> Incident.open(future, NOW)).violations()).extracting(IncidentTest::where).containsExactly("startedAt");
    }

    @Test
    void openingReportsEveryInvalidFieldByName() {
        List<Component> components = List.of(
                component("Teams!", ComponentStatus.MAJOR_OUTAGE, "eu-west"),
                component("teams", ComponentStatus.MAJOR_OUTAGE, "global", "eu-west"),
                new Component("exchange", List.of(), ComponentStatus.MAJOR_OUTAGE),
                component("exchange", null, "eu-west"),
                component("sharepoint", ComponentStatus.MAJOR_OUTAGE, "eu-west", "eu-west"));
        OpenIncident command = new OpenIncident(ID, " ", null, IncidentStatus.RESOLVED, "x".repeat(10_001), null, components, ALICE);

        CommandRejected rejected = rejection(() -> Incident.open(command, NOW));

        assertThat(rejected.reason()).isEqualTo(Reason.INVALID);
        assertThat(rejected.violations()).extracting(IncidentTest::where).containsExactly("title", "severity", "status", "message",
                "components.service[0]", "components.regions[1]", "components.regions[2]", "components.status[3]",
                "components.region[4, 1]");
    }

    @Test
    void titleLimitsCountCharactersNotBytes() {
        OpenIncident exactly200 = new OpenIncident(ID, "é".repeat(200), Severity.SEV3, null, "m", null,
                List.of(component("teams", ComponentStatus.MAJOR_OUTAGE, "global")), ALICE);
        assertThat(Incident.open(exactly200, NOW).title()).hasSize(200);
        OpenIncident tooLong = new OpenIncident(ID, "a".repeat(201), Severity.SEV3, null, "m", null,
                List.of(component("teams", ComponentStatus.MAJOR_OUTAGE, "global")), ALICE);
        assertThat(rejection(() -> Incident.open(tooLong, NOW)).violations()).extracting(IncidentTest::where).containsExactly("title");
    }

    @Test
    void serviceAndRegionNamesFollowThePlatformsSyntax() {
        IncidentOpened longest = Incident.open(open(List.of(component("a".repeat(64), ComponentStatus.MAJOR_OUTAGE, "r".repeat(64)),
                component("x9._-y", ComponentStatus.PARTIAL_OUTAGE, "eu-west-2"))), NOW);
        assertThat(longest.components()).extracting(Component::service).containsExactly("a".repeat(64), "x9._-y");

        List<Component> broken = List.of(
                component("a".repeat(65), ComponentStatus.MAJOR_OUTAGE, "global"),
                component("-teams", ComponentStatus.MAJOR_OUTAGE, "global"),
                component("=cmd", ComponentStatus.MAJOR_OUTAGE, "global"),
                component("teams", ComponentStatus.MAJOR_OUTAGE, "r".repeat(65)),
                component("exchange", ComponentStatus.MAJOR_OUTAGE, "eu.west"),
                component("sharepoint", ComponentStatus.MAJOR_OUTAGE, "-eu"),
                component("outlook", ComponentStatus.MAJOR_OUTAGE, "EU-WEST"));
        CommandRejected rejected = rejection(() -> Incident.open(open(broken), NOW));
        assertThat(rejected.violations()).extracting(IncidentTest::where).containsExactly("components.service[0]",
                "components.service[1]", "components.service[2]", "components.region[3, 0]", "components.region[4, 0]",
                "components.region[5, 0]", "components.region[6, 0]");
        assertThat(rejected.violations().get(0).reason()).startsWith(Component.SERVICE_RULE);
        assertThat(rejected.violations().get(3).reason()).startsWith(Component.REGION_RULE);
    }

    @Test
    void aRegionListIsCappedAtAHundred() {
        String[] regions = IntStream.range(0, 101).mapToObj(i -> "region-" + i).toArray(String[]::new);
        assertThat(rejection(() -> Incident.open(open(List.of(component("teams", ComponentStatus.MAJOR_OUTAGE, regions))), NOW))
                .violations()).extracting(IncidentTest::where).containsExactly("components.regions[0]");
        String[] hundred = IntStream.range(0, 100).mapToObj(i -> "region-" + i).toArray(String[]::new);
        assertThat(Incident.open(open(List.of(component("teams", ComponentStatus.MAJOR_OUTAGE, hundred))), NOW).components())
                .flatExtracting(Component::regions).hasSize(100);
    }

    @Test
    void aCutQuotedNameNeverSplitsACharacter() {
        String emoji = "\uD83D\uDD25";
        CommandRejected rejected = rejection(() -> Incident.open(open(List.of(component("a".repeat(69) + emoji + "b",
                ComponentStatus.MAJOR_OUTAGE, "global"))), NOW));
        String reason = rejected.violations().get(0).reason();
        assertThat(reason).endsWith("a…'");
        assertThat(reason.chars().filter(c -> Character.isSurrogate((char) c)).count()).isZero();
    }

    @Test
    void openingNeedsOneToAHundredComponents() {
        assertThat(rejection(() -> Incident.open(open(List.of()), NOW)).violations()).extracting(IncidentTest::where)
                .containsExactly("components");
        List<Component> many = IntStream.range(0, 101)
                .mapToObj(i -> component("service-" + i, ComponentStatus.MAJOR_OUTAGE, "global")).toList();
        assertThat(rejection(() -> Incident.open(open(many), NOW)).violations()).extracting(IncidentTest::where)
                .containsExactly("components");
    }

    @Test
    void statusMayMoveForwardAndBackUntilResolved() {
        Incident incident = given(opened());
        List<IncidentStatus> path = List.of(IncidentStatus.IDENTIFIED, IncidentStatus.INVESTIGATING, IncidentStatus.MONITORING,
                IncidentStatus.IDENTIFIED, IncidentStatus.MONITORING, IncidentStatus.RESOLVED);
        Instant at = NOW;
        for (IncidentStatus status : path) {
            at = at.plusSeconds(60);
            incident.apply(incident.postUpdate(update(status, null, at), at));
            assertThat(incident.status()).isEqualTo(status);
        }
        assertThat(incident.resolvedAt()).isEqualTo(at);
        assertThat(incident.version()).isEqualTo(1 + path.size());
    }

    @Test
    void aResolvedIncidentTakesNoMoreUpdates() {
        Incident incident = given(opened());
        incident.apply(incident.postUpdate(update(IncidentStatus.RESOLVED, null, NOW), NOW));

        CommandRejected rejected = rejection(() -> incident.postUpdate(update(IncidentStatus.MONITORING, null, null), NOW));

        assertThat(rejected.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(rejected.violations()).extracting(IncidentTest::where).containsExactly("status");
    }

    @Test
    void listedComponentsTakeTheNewStatusAndTheEventCarriesEveryComponent() {
        Incident incident = given(opened());

        UpdatePosted event = incident.postUpdate(update(IncidentStatus.IDENTIFIED,
                List.of(component("teams", ComponentStatus.OPERATIONAL, "eu-west"),
                        component("exchange", ComponentStatus.DEGRADED_PERFORMANCE, "ap-south")), NOW), NOW);

        assertThat(event.components()).containsExactly(
                component("azure-vms", ComponentStatus.MAJOR_OUTAGE, "global"),
                component("teams", ComponentStatus.OPERATIONAL, "eu-west"),
                component("teams", ComponentStatus.PARTIAL_OUTAGE, "us-east"),
                component("exchange", ComponentStatus.DEGRADED_PERFORMANCE, "ap-south"));
        assertThat(event.incidentId()).isEqualTo(ID);
        assertThat(event.effectiveAt()).isEqualTo(NOW);
    }

    @Test
    void aRegionOverridesTheServicesGlobalEntry() {
        ComponentMap map = ComponentMap.of(List.of(component("azure-vms", ComponentStatus.MAJOR_OUTAGE, "global"),
                component("azure-vms", ComponentStatus.DEGRADED_PERFORMANCE, "eu-west")));

        assertThat(map.statusOf("azure-vms", "eu-west")).isEqualTo(ComponentStatus.DEGRADED_PERFORMANCE);
        assertThat(map.statusOf("azure-vms", "us-east")).isEqualTo(ComponentStatus.MAJOR_OUTAGE);
        assertThat(map.statusOf("teams", "us-east")).isEqualTo(ComponentStatus.OPERATIONAL);
        assertThat(map.toComponents()).containsExactly(component("azure-vms", ComponentStatus.MAJOR_OUTAGE, "global"),
                component("azure-vms", ComponentStatus.DEGRADED_PERFORMANCE, "eu-west"));
    }

    @Test
    void effectiveAtMustNotGoBackwardsNorLieInTheFuture() {
        Incident incident = given(opened());
        Instant first = NOW.minusSeconds(600);
        incident.apply(incident.postUpdate(update(IncidentStatus.IDENTIFIED, null, first), NOW));

        assertThat(rejection(() -> incident.postUpdate(update(IncidentStatus.MONITORING, null, first.minusSeconds(1)), NOW))
                .violations()).extracting(IncidentTest::where).containsExactly("effectiveAt");
        assertThat(rejection(() -> incident.postUpdate(update(IncidentStatus.MONITORING, null, NOW.plusSeconds(121)), NOW))
                .violations()).extracting(IncidentTest::where).containsExactly("effectiveAt");
        assertThat(incident.postUpdate(update(IncidentStatus.MONITORING, null, first), NOW).effectiveAt()).isEqualTo(first);
        assertThat(incident.postUpdate(update(IncidentStatus.MONITORING, null, NOW.plusSeconds(119)), NOW).effectiveAt())
                .isEqualTo(NOW.plusSeconds(119));
    }

    @Test
    void theFirstUpdateMayNotTakeEffectBeforeTheImpactBegan() {
        Incident incident = given(opened());
        Instant beforeStart = incident.startedAt().minusSeconds(1);
        assertThat(rejection(() -> incident.postUpdate(update(IncidentStatus.IDENTIFIED, null, beforeStart), NOW)).violations())
                .extracting(IncidentTest::where).containsExactly("effectiveAt");
    }

    @Test
    void aDefaultEffectiveAtIsNeverBeforeThePreviousOne() {
        Incident incident = given(opened());
        Instant skewedAhead = NOW.plusSeconds(90);
        incident.apply(incident.postUpdate(update(IncidentStatus.IDENTIFIED, null, skewedAhead), NOW));

        assertThat(incident.postUpdate(update(IncidentStatus.MONITORING, null, null), NOW).effectiveAt()).isEqualTo(skewedAhead);
    }

    @Test
    void anUpdateMayNotGrowTheIncidentPastAHundredComponents() {
        List<Component> ninetyNine = IntStream.range(0, 99)
                .mapToObj(i -> component("service-" + i, ComponentStatus.MAJOR_OUTAGE, "global")).toList();
        Incident incident = given(Incident.open(open(ninetyNine), NOW));
        assertThat(incident.postUpdate(update(IncidentStatus.IDENTIFIED,
                List.of(component("extra", ComponentStatus.MAJOR_OUTAGE, "global")), NOW), NOW).components()).hasSize(100);
        assertThat(rejection(() -> incident.postUpdate(update(IncidentStatus.IDENTIFIED,
                List.of(component("extra", ComponentStatus.MAJOR_OUTAGE, "global"),
                        component("another", ComponentStatus.MAJOR_OUTAGE, "global")), NOW), NOW)).violations())
                .extracting(IncidentTest::where).containsExactly("components");
    }

    @Test
    void aReviewOnlyAfterResolutionOnceThenCorrectionsAsNewVersions() {
        Incident incident = given(opened());
        PublishReview first = new PublishReview(UUID.randomUUID(), "Faulty sensor content", "VMs down for 5 h",
                List.of("Staged rollout"), null, ALICE);
        CommandRejected early = rejection(() -> incident.publishReview(first));
        assertThat(early.reason()).isEqualTo(Reason.CONFLICT);

        incident.apply(incident.postUpdate(update(IncidentStatus.RESOLVED, null, NOW), NOW));
        ReviewPublished published = incident.publishReview(first);
        assertThat(published.reviewVersion()).isEqualTo(1);
        assertThat(published.reviewId()).isEqualTo(first.reviewId());
        incident.apply(published);

        CommandRejected again = rejection(() -> incident.publishReview(first));
        assertThat(again.reason()).isEqualTo(Reason.CONFLICT);
        assertThat(again.violations()).extracting(IncidentTest::where).containsExactly("correctsVersion");

        PublishReview correction = new PublishReview(UUID.randomUUID(), "Out-of-bounds read in sensor content",
                "VMs down for 5 h", List.of(), 1, "bob@ops.example");
        ReviewPublished corrected = incident.publishReview(correction);
        assertThat(corrected.reviewVersion()).isEqualTo(2);
        assertThat(corrected.reviewId()).isEqualTo(published.reviewId());
        assertThat(corrected.author()).isEqualTo("bob@ops.example");

        PublishReview stale = new PublishReview(UUID.randomUUID(), "x", "y", List.of(), 7, ALICE);
        assertThat(rejection(() -> incident.publishReview(stale)).violations()).extracting(IncidentTest::where)
                .containsExactly("correctsVersion");
    }

    @Test
    void aReviewNeedsItsTextsAndAtMostFiftyMeasures() {
        Incident incident = given(opened());
        incident.apply(incident.postUpdate(update(IncidentStatus.RESOLVED, null, NOW), NOW));
        List<String> measures = new ArrayList<>(Collections.nCopies(51, "m"));
        measures.set(3, " ");
        PublishReview review = new PublishReview(UUID.randomUUID(), "", null, measures, null, ALICE);

        CommandRejected rejected = rejection(() -> incident.publishReview(review));

        assertThat(rejected.reason()).isEqualTo(Reason.INVALID);
        assertThat(rejected.violations()).extracting(IncidentTest::where)
                .containsExactly("rootCause", "impactSummary", "preventativeMeasures", "preventativeMeasures.measure[3]");
    }

    @Test
    void aHistoryMustStartWithTheOpening() {
        assertThatThrownBy(() -> Incident.from(List.of())).isInstanceOf(IllegalArgumentException.class);
    }
}

package dev.incidentplatform.compensation.domain;

import static dev.incidentplatform.compensation.domain.Fixtures.AZURE_99_9;
import static dev.incidentplatform.compensation.domain.Fixtures.EXTENSION_99_9;
import static dev.incidentplatform.compensation.domain.Fixtures.M365_99_9;
import static dev.incidentplatform.compensation.domain.Fixtures.component;
import static dev.incidentplatform.compensation.domain.Fixtures.incident;
import static dev.incidentplatform.compensation.domain.Fixtures.outage;
import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.compensation.domain.CreditRule.AlreadyIssued;
import dev.incidentplatform.compensation.domain.CreditRule.Kind;
import dev.incidentplatform.compensation.domain.CreditRule.MoneyCredit;

/**
 * The issue's hand-computed cases, given incidents → expected downtime, uptime, tier and amount. The arithmetic is in
 * each test's comment. Unless said otherwise: service vm, a global contract, fee 1000.00 USD, policy azure-99.9
 * (&lt; 99.9 → 10 %, &lt; 99 → 25 %), minimum amount 1.00.
 */
class CreditCalculationTest {

    private static final String VM = "vm";
    private static final BigDecimal FEE = new BigDecimal("1000.00");
    private static final BigDecimal MINIMUM = new BigDecimal("1.00");
    private static final BillingMonth JULY_2024 = BillingMonth.of(2024, 7);

    private static MonthlyDowntime july(IncidentTimeline... incidents) {
        return MonthlyDowntime.of(List.of(incidents), VM, RegionSet.global(), JULY_2024);
    }

    private static Optional<BigDecimal> tierPercent(Policy policy, MonthlyDowntime downtime) {
        return policy.tierFor(downtime.uptime()).map(match -> match.tier().creditPercent());
    }

    private static Optional<MoneyCredit> firstCredit(MonthlyDowntime downtime) {
        return tierPercent(AZURE_99_9, downtime).flatMap(percent -> CreditRule.money(FEE, 2, percent, AlreadyIssued.NONE, MINIMUM));
    }

    @Test
    void exactlyAtTheThresholdIsNotBelowIt() {
        // July: 31 × 1440 = 44 640 minutes = 2 678 400 s. 99.9 % uptime ⇔ downtime = 0.1 % × 2 678 400 s = 2 678.4 s.
        MonthlyDowntime atThreshold = july(outage(VM, "2024-07-10T00:00:00Z", "2024-07-10T00:44:38.400Z"));
        assertThat(atThreshold.uptime().downtimeSeconds()).isEqualByComparingTo("2678.4");
        assertThat(atThreshold.uptime().percent()).isEqualByComparingTo("99.9000");
        assertThat(firstCredit(atThreshold)).isEmpty();

        // One millisecond more: (2 678 400 − 2 678.401) / 2 678 400 × 100 = 99.89999996… < 99.9 → 10 % → 100.00.
        MonthlyDowntime justBelow = july(outage(VM, "2024-07-10T00:00:00Z", "2024-07-10T00:44:38.401Z"));
        assertThat(justBelow.uptime().percent()).isEqualByComparingTo("99.8999");
        assertThat(firstCredit(justBelow)).contains(new MoneyCredit(Kind.ORIGINAL, new BigDecimal("100.00"), BigDecimal.TEN, false));
    }

    @Test
    void theSameDowntimeWeighsMoreInShorterMonths() {
        // 43.2 minutes = 2 592 s of downtime on the 10th of each month:
        // 31 days (2024-07): 2 592 / 2 678 400 = 0.0967… % → uptime 99.9032 → no credit
        // 30 days (2024-06): 2 592 / 2 592 000 = 0.1 % exactly → uptime 99.9 → not below → no credit
        // 29 days (2024-02): 2 592 / 2 505 600 = 0.1034… % → uptime 99.8965 → 10 % = 100.00
        // 28 days (2023-02): 2 592 / 2 419 200 = 0.1071… % → uptime 99.8928 → 10 % = 100.00
        record Case(int year, int month, String uptime, boolean credited) {
        }
        for (Case c : List.of(new Case(2024, 7, "99.9032", false), new Case(2024, 6, "99.9000", false),
                new Case(2024, 2, "99.8965", true), new Case(2023, 2, "99.8928", true))) {
            BillingMonth month = BillingMonth.of(c.year(), c.month());
            String day = month + "-10";
            MonthlyDowntime downtime = MonthlyDowntime.of(List.of(outage(VM, day + "T00:00:00Z", day + "T00:43:12Z")), VM,
                    RegionSet.global(), month);
            assertThat(downtime.uptime().monthSeconds()).isEqualTo(month.month().lengthOfMonth() * 86_400L);
            assertThat(downtime.uptime().percent()).as(month.toString()).isEqualByComparingTo(c.uptime());
            assertThat(firstCredit(downtime).map(MoneyCredit::amount)).as(month.toString())
                    .isEqualTo(c.credited() ? Optional.of(new BigDecimal("100.00")) : Optional.empty());
        }
    }

    @Test
    void anIncidentAcrossAMonthBoundaryCountsInBothMonths() {
        // 2024-06-30 23:00 → 2024-07-01 01:00: 60 minutes in June, 60 in July.
        // June: (43 200 − 60) / 43 200 = 99.8611 % → 10 %; July: (44 640 − 60) / 44 640 = 99.8655 % → 10 %.
        IncidentTimeline incident = outage(VM, "2024-06-30T23:00:00Z", "2024-07-01T01:00:00Z");
        MonthlyDowntime june = MonthlyDowntime.of(List.of(incident), VM, RegionSet.global(), BillingMonth.of(2024, 6));
        MonthlyDowntime july = july(incident);
        assertThat(june.uptime().downtimeMinutes()).isEqualByComparingTo("60");
        assertThat(july.uptime().downtimeMinutes()).isEqualByComparingTo("60");
        assertThat(june.uptime().percent()).isEqualByComparingTo("99.8611");
        assertThat(july.uptime().percent()).isEqualByComparingTo("99.8655");
        assertThat(firstCredit(june).orElseThrow().amount()).isEqualByComparingTo("100.00");
        assertThat(firstCredit(july).orElseThrow().amount()).isEqualByComparingTo("100.00");
        assertThat(incident.downtime(VM, RegionSet.global()).stream().flatMap(w -> BillingMonth.overlapping(w).stream()).toList())
                .containsExactly(BillingMonth.of(2024, 6), JULY_2024);
    }

    @Test
    void overlappingIncidentsCountOnce() {
        // A 00:00–05:00 (300 min), B 02:00–07:00 (300 min): union 00:00–07:00 = 420 min, not 600.
        // (44 640 − 420) / 44 640 = 99.0591 % → below 99.9, not below 99 → 10 %. Summed (600 min → 98.6559 %) it
        // would wrongly be 25 %.
        MonthlyDowntime downtime = july(outage(VM, "2024-07-19T00:00:00Z", "2024-07-19T05:00:00Z"),
                outage(VM, "2024-07-19T02:00:00Z", "2024-07-19T07:00:00Z"));
        assertThat(downtime.uptime().downtimeMinutes()).isEqualByComparingTo("420");
        assertThat(downtime.uptime().percent()).isEqualByComparingTo("99.0591");
        assertThat(downtime.incidentIds()).hasSize(2);
        assertThat(tierPercent(AZURE_99_9, downtime)).contains(BigDecimal.TEN);
    }

    @Test
    void aSecondIncidentThatRaisesTheTierIssuesOnlyTheDifference() {
        // A: 300 min → (44 640 − 300) / 44 640 = 99.3279 % → 10 % → 100.00 issued (original).
        IncidentTimeline a = outage(VM, "2024-07-05T00:00:00Z", "2024-07-05T05:00:00Z");
        MoneyCredit first = firstCredit(july(a)).orElseThrow();
        assertThat(first).isEqualTo(new MoneyCredit(Kind.ORIGINAL, new BigDecimal("100.00"), BigDecimal.TEN, false));

        // B: 200 more min → 500 min → (44 640 − 500) / 44 640 = 98.8799 % → 25 % → 250.00 in all; 100.00 was issued:
        // adjustment 150.00, adding 15 percentage points.
        MonthlyDowntime both = july(a, outage(VM, "2024-07-20T00:00:00Z", "2024-07-20T03:20:00Z"));
        assertThat(both.uptime().percent()).isEqualByComparingTo("98.8799");
        AlreadyIssued issued = new AlreadyIssued(1, BigDecimal.TEN, new BigDecimal("100.00"), 0);
        MoneyCredit adjustment = CreditRule.money(FEE, 2, tierPercent(AZURE_99_9, both).orElseThrow(), issued, MINIMUM).orElseThrow();
        assertThat(adjustment.kind()).isEqualTo(Kind.ADJUSTMENT);
        assertThat(adjustment.amount()).isEqualByComparingTo("150.00");
        assertThat(adjustment.percentAdded()).isEqualByComparingTo("15");

        // A third incident that stays in the 25 % tier issues nothing more.
        assertThat(CreditRule.money(FEE, 2, new BigDecimal("25"), new AlreadyIssued(2, new BigDecimal("25"),
                new BigDecimal("250.00"), 0), MINIMUM)).isEmpty();
    }

    @Test
    void aMonthNeverExceedsOneHundredPercentOfTheFee() {
        // m365-99.9: 2 days down = 2 880 min → (44 640 − 2 880) / 44 640 = 93.5483 % → below 95 → 100 % = 1000.00.
        MonthlyDowntime down = july(outage(VM, "2024-07-01T00:00:00Z", "2024-07-03T00:00:00Z"));
        assertThat(down.uptime().percent()).isEqualByComparingTo("93.5483");
        BigDecimal percent = M365_99_9.tierFor(down.uptime()).orElseThrow().tier().creditPercent();
        assertThat(CreditRule.money(FEE, 2, percent, AlreadyIssued.NONE, MINIMUM).orElseThrow().amount())
                .isEqualByComparingTo("1000.00");
        // 25 % (250.00) already issued: the adjustment is 750.00, so the month totals exactly 1000.00.
        assertThat(CreditRule.money(FEE, 2, percent, new AlreadyIssued(1, new BigDecimal("25"), new BigDecimal("250.00"), 0),
                MINIMUM).orElseThrow().amount()).isEqualByComparingTo("750.00");
        // Once 100 % is issued, more downtime issues nothing.
        assertThat(CreditRule.money(FEE, 2, percent, new AlreadyIssued(2, new BigDecimal("100"), FEE, 0), MINIMUM)).isEmpty();
        // The fee fell (a new contract version) after 250.00 was issued at 25 %: 100 % of 200.00 is 200.00 < 250.00, nothing.
        assertThat(CreditRule.money(new BigDecimal("200.00"), 2, percent,
                new AlreadyIssued(1, new BigDecimal("25"), new BigDecimal("250.00"), 0), MINIMUM)).isEmpty();
    }

    @Test
    void anUnaffectedRegionHasNoDowntime() {
        // vm is down in eu-west only, 5 hours: a customer in us-east had no downtime; one in eu-west and us-east had 300 min.
        IncidentTimeline incident = incident().at("2024-07-19T04:00:00Z", component(VM, "major_outage", "eu-west"))
                .resolvedAt("2024-07-19T09:00:00Z").build();
        assertThat(MonthlyDowntime.of(List.of(incident), VM, RegionSet.of(List.of("us-east")), JULY_2024).isZero()).isTrue();
        assertThat(MonthlyDowntime.of(List.of(incident), VM, RegionSet.of(List.of("us-east", "eu-west")), JULY_2024)
                .uptime().downtimeMinutes()).isEqualByComparingTo("300");
        // Another service's outage is not this service's downtime.
        assertThat(MonthlyDowntime.of(List.of(incident), "teams", RegionSet.global(), JULY_2024).isZero()).isTrue();
    }

    @Test
    void degradedPerformanceAndMaintenanceAreNotDowntime() {
        // 04:00–06:00 degraded, 06:00–07:00 partial outage, 07:00–08:00 under maintenance, resolved 08:00: only 60 min count.
        IncidentTimeline incident = incident()
                .at("2024-07-19T04:00:00Z", component(VM, "degraded_performance", "global"))
                .at("2024-07-19T06:00:00Z", component(VM, "partial_outage", "global"))
                .at("2024-07-19T07:00:00Z", component(VM, "under_maintenance", "global"))
                .resolvedAt("2024-07-19T08:00:00Z").build();
        assertThat(july(incident).uptime().downtimeMinutes()).isEqualByComparingTo("60");
    }

    @Test
    void aBackdatedUpdateCountsFromItsEffectiveTime() {
        // Opened as degraded at 10:00; at 11:00 an update says it was a major outage since 10:20 (effectiveAt 10:20,
        // written later); resolved effective 11:00. Downtime 10:20–11:00 = 40 min (not 0, as the posting time would give).
        IncidentTimeline incident = incident()
                .at("2024-07-19T10:00:00Z", component(VM, "degraded_performance", "global"))
                .at("2024-07-19T10:20:00Z", component(VM, "major_outage", "global"))
                .resolvedAt("2024-07-19T11:00:00Z").build();
        assertThat(july(incident).windows()).singleElement().satisfies(window -> {
            assertThat(window.start()).hasToString("2024-07-19T10:20:00Z");
            assertThat(window.end()).hasToString("2024-07-19T11:00:00Z");
        });
        // A correction written after an update but effective before it replaces it from its effective time: major at
        // 10:00, operational at 10:30 (v2), then v3 "partial outage since 10:15" → down 10:00 until the resolution at 11:00.
        IncidentTimeline corrected = incident()
                .at("2024-07-19T10:00:00Z", component(VM, "major_outage", "global"))
                .at("2024-07-19T10:30:00Z", component(VM, "operational", "global"))
                .at("2024-07-19T10:15:00Z", component(VM, "partial_outage", "global"))
                .resolvedAt("2024-07-19T11:00:00Z").build();
        assertThat(july(corrected).uptime().downtimeMinutes()).isEqualByComparingTo("60");
    }

    @Test
    void anExtensionPolicyGrantsDaysAndTheDifferenceOnATierRaise() {
        // 300 min → 99.3279 % → below 99.9 → 3 days. With 200 more min → 98.8799 % → below 99 → 7 days: adjustment 4 days.
        IncidentTimeline a = outage(VM, "2024-07-05T00:00:00Z", "2024-07-05T05:00:00Z");
        int days = EXTENSION_99_9.tierFor(july(a).uptime()).orElseThrow().tier().extensionDays();
        assertThat(CreditRule.extension(days, AlreadyIssued.NONE)).contains(new CreditRule.ExtensionCredit(Kind.ORIGINAL, 3));
        MonthlyDowntime both = july(a, outage(VM, "2024-07-20T00:00:00Z", "2024-07-20T03:20:00Z"));
        int raised = EXTENSION_99_9.tierFor(both.uptime()).orElseThrow().tier().extensionDays();
        assertThat(CreditRule.extension(raised, new AlreadyIssued(1, BigDecimal.ZERO, BigDecimal.ZERO, 3)))
                .contains(new CreditRule.ExtensionCredit(Kind.ADJUSTMENT, 4));
    }

    @Test
    void amountsAreRoundedHalfEvenToTheCurrencysMinorUnit() {
        // 1.25 × 10 % = 0.125 → 0.12 (half to even); 1.35 × 10 % = 0.135 → 0.14; 333.33 × 10 % = 33.333 → 33.33.
        assertThat(CreditRule.amount(new BigDecimal("1.25"), BigDecimal.TEN, 2)).isEqualByComparingTo("0.12");
        assertThat(CreditRule.amount(new BigDecimal("1.35"), BigDecimal.TEN, 2)).isEqualByComparingTo("0.14");
        assertThat(CreditRule.amount(new BigDecimal("333.33"), BigDecimal.TEN, 2)).isEqualByComparingTo("33.33");
        // JPY has no minor unit: 1 234 × 25 % = 308.5 → 308; 1 234 × 10 % = 123.4 → 123. BHD has three: 10.005 × 50 % = 5.0025 → 5.002.
        assertThat(CreditRule.amount(new BigDecimal("1234"), new BigDecimal("25"), 0)).isEqualByComparingTo("308");
        assertThat(CreditRule.amount(new BigDecimal("1234"), BigDecimal.TEN, 0)).isEqualByComparingTo("123");
        assertThat(CreditRule.amount(new BigDecimal("10.005"), new BigDecimal("50"), 3)).isEqualByComparingTo("5.002");
    }

    @Test
    void anAmountBelowTheMinimumIsRecordedNotIssued() {
        // 5.00 × 10 % = 0.50 < 1.00: below the minimum. 0.05 × 10 % = 0.005 → 0.00: nothing at all.
        assertThat(CreditRule.money(new BigDecimal("5.00"), 2, BigDecimal.TEN, AlreadyIssued.NONE, MINIMUM))
                .contains(new MoneyCredit(Kind.ORIGINAL, new BigDecimal("0.50"), BigDecimal.TEN, true));
        assertThat(CreditRule.money(new BigDecimal("0.05"), 2, BigDecimal.TEN, AlreadyIssued.NONE, MINIMUM)).isEmpty();
    }

    @Test
    void anIncidentStillOpenDoesNotCountUntilItResolves() {
        // Resolved A (60 min) and still-open B: only A counts now; B is credited when it resolves.
        IncidentTimeline open = incident().at("2024-07-31T20:00:00Z", component(VM, "major_outage", "global")).build();
        assertThat(open.isResolved()).isFalse();
        MonthlyDowntime downtime = july(outage(VM, "2024-07-02T00:00:00Z", "2024-07-02T01:00:00Z"), open);
        assertThat(downtime.uptime().downtimeMinutes()).isEqualByComparingTo("60");
        assertThat(downtime.incidentIds()).hasSize(1);
    }
}

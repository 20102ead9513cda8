package dev.incidentplatform.compensation.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.PlainJava;

class PolicyTest {

    @Test
    void tiersMustStrictlyDecreaseAndGrantSomethingValid() {
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99", "10"), Tier.money("99", "25"))))
                .singleElement().asString().startsWith("tiers[1].belowUptimePercent: thresholds must strictly decrease");
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99.9", "0")))).singleElement().asString()
                .contains("creditPercent: must be in (0, 100]");
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99.9", "100.01")))).hasSize(1);
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99.9", "100")))).isEmpty();
        assertThat(Policy.problems(PolicyKind.EXTENSION, List.of(Tier.extension("99.9", 0)))).singleElement().asString()
                .contains("extensionDays: must be from 1 to 3660");
        assertThat(Policy.problems(PolicyKind.MONEY, List.of())).hasSize(1);
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99.99999", "10")))).singleElement().asString()
                .contains("at most 4 decimals");
        assertThatThrownBy(() -> new Policy("p", 1, PolicyKind.MONEY, List.of(new Tier(new BigDecimal("101"), BigDecimal.ONE, null))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLowerUptimeMustEarnAHigherCredit() {
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99.9", "25"), Tier.money("99", "25"))))
                .singleElement().asString().startsWith("tiers[1].creditPercent: a lower uptime must earn a higher credit");
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99.9", "50"), Tier.money("99", "10"),
                Tier.money("95", "100")))).singleElement().asString().startsWith("tiers[1].creditPercent");
        assertThat(Policy.problems(PolicyKind.EXTENSION, List.of(Tier.extension("99.9", 7), Tier.extension("99", 3))))
                .singleElement().asString().startsWith("tiers[1].extensionDays: a lower uptime must earn more days");
        assertThat(Policy.problems(PolicyKind.EXTENSION, List.of(Tier.extension("99.9", 3), Tier.extension("99", 3))))
                .hasSize(1);
        assertThat(Policy.problems(PolicyKind.MONEY, List.of(Tier.money("99.9", "10"), Tier.money("99", "10.0001"))))
                .isEmpty();
        assertThat(Policy.problems(PolicyKind.EXTENSION, List.of(Tier.extension("99.9", 3), Tier.extension("99", 4))))
                .isEmpty();
        assertThatThrownBy(() -> new Policy("p", 1, PolicyKind.MONEY, List.of(Tier.money("99", "50"), Tier.money("95", "25"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theLowestThresholdBelowWhichUptimeFallsWins() {
        Uptime uptime = new Uptime(new BigDecimal("27000"), 2_678_400); // 450 min in July → 98.9919 %
        assertThat(Fixtures.AZURE_99_9.tierFor(uptime).orElseThrow().index()).isEqualTo(1);
        assertThat(Fixtures.M365_99_9.tierFor(uptime).orElseThrow().tier().creditPercent()).isEqualByComparingTo("50");
        assertThat(Fixtures.AZURE_99_9.tierFor(new Uptime(BigDecimal.ZERO, 2_678_400))).isEmpty();
    }

    @Test
    void theDomainIsPlainJava() {
        PlainJava.assertFrameworkFree("dev.incidentplatform.compensation.domain");
    }
}

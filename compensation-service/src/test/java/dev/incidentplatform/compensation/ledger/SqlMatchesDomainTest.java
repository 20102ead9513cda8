package dev.incidentplatform.compensation.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.compensation.domain.CreditRule;
import dev.incidentplatform.compensation.domain.CreditRule.AlreadyIssued;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The ledger's SQL computes what the Java domain specifies: the same random inputs through both, compared exactly.
 * (PostgreSQL's own round(numeric) rounds half away from zero; these tests fail if the SQL used it.)
 */
@QuarkusTest
class SqlMatchesDomainTest {

    private static final int CASES = 20_000;

    @Inject
    DataSource dataSource;

    @Test
    void roundHalfEvenInSqlEqualsBigDecimalHalfEven() throws Exception {
        Random random = new Random(20240719);
        List<BigDecimal> values = new ArrayList<>();
        List<Integer> digits = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            int d = random.nextInt(4);
            // Values with up to 8 decimals, a quarter of them exactly halfway at the rounding position.
            BigDecimal value = new BigDecimal(new BigInteger(50, random), random.nextInt(9));
            if (i % 4 == 0) {
                value = new BigDecimal(new BigInteger(40, random), d).add(new BigDecimal("0.5").movePointLeft(d));
            }
            values.add(random.nextBoolean() ? value : value.negate());
            digits.add(d);
        }
        List<BigDecimal> sql = query("SELECT round_half_even(v, d) FROM unnest(?::numeric[], ?::int[]) WITH ORDINALITY AS t(v, d, n) ORDER BY n",
                values.toArray(), digits.toArray());
        for (int i = 0; i < CASES; i++) {
            BigDecimal expected = values.get(i).setScale(digits.get(i), RoundingMode.HALF_EVEN);
            assertThat(sql.get(i)).as("round_half_even(%s, %d)", values.get(i), digits.get(i)).isEqualTo(expected);
        }
    }

    @Test
    void moneyCreditInSqlEqualsCreditRule() throws Exception {
        Random random = new Random(1907);
        List<Object> fees = new ArrayList<>();
        List<Object> digits = new ArrayList<>();
        List<Object> tiers = new ArrayList<>();
        List<Object> issuedPercents = new ArrayList<>();
        List<Object> issuedAmounts = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            int d = new int[] { 0, 2, 2, 3 }[random.nextInt(4)];
            BigDecimal fee = new BigDecimal(BigInteger.valueOf(1 + random.nextLong(1_000_000_000_000L)), random.nextInt(d + 1));
            BigDecimal tier = new BigDecimal(BigInteger.valueOf(1 + random.nextInt(1_000_000)), 4); // (0, 100]
            BigDecimal issuedPercent = random.nextBoolean() ? BigDecimal.ZERO
                    : new BigDecimal(BigInteger.valueOf(1 + random.nextInt(1_000_000)), 4);
            BigDecimal issuedAmount = issuedPercent.signum() == 0 ? BigDecimal.ZERO
                    : CreditRule.amount(fee, issuedPercent, d).add(random.nextBoolean() ? BigDecimal.ZERO
                            : BigDecimal.ONE.movePointLeft(d)); // sometimes a cent off, as after a fee change
            fees.add(fee);
            digits.add(d);
            tiers.add(tier);
            issuedPercents.add(issuedPercent);
            issuedAmounts.add(issuedAmount);
        }
        List<BigDecimal> sql = query("""
                SELECT money_credit(f, d, p, ip, ia)
                FROM unnest(?::numeric[], ?::int[], ?::numeric[], ?::numeric[], ?::numeric[]) WITH ORDINALITY AS t(f, d, p, ip, ia, n)
                ORDER BY n""", fees.toArray(), digits.toArray(), tiers.toArray(), issuedPercents.toArray(), issuedAmounts.toArray());
        int issued = 0;
        for (int i = 0; i < CASES; i++) {
            BigDecimal expected = CreditRule.money((BigDecimal) fees.get(i), (Integer) digits.get(i), (BigDecimal) tiers.get(i),
                    new AlreadyIssued(1, (BigDecimal) issuedPercents.get(i), (BigDecimal) issuedAmounts.get(i), 0),
                    BigDecimal.ZERO).map(CreditRule.MoneyCredit::amount).orElse(null);
            if (expected == null) {
                assertThat(sql.get(i)).as("case %d", i).isNull();
            } else {
                issued++;
                assertThat(sql.get(i)).as("case %d: fee %s, tier %s", i, fees.get(i), tiers.get(i)).isEqualByComparingTo(expected);
            }
        }
        assertThat(issued).as("both outcomes are exercised").isBetween(CASES / 10, CASES - CASES / 10);
    }

    private List<BigDecimal> query(String sql, Object[]... arrays) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement statement = c.prepareStatement(sql)) {
            String[] types = sql.contains("money_credit") ? new String[] { "numeric", "int4", "numeric", "numeric", "numeric" }
                    : new String[] { "numeric", "int4" };
            for (int i = 0; i < arrays.length; i++) {
                statement.setArray(i + 1, c.createArrayOf(types[i], arrays[i]));
            }
            List<BigDecimal> results = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery()) {
                while (rows.next()) {
                    results.add(rows.getBigDecimal(1));
                }
            }
            return results;
        }
    }
}

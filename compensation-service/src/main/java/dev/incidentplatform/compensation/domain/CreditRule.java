package dev.incidentplatform.compensation.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Optional;

/**
 * What one contract gets for one billing month, given the tier its month has reached and what it was already issued
 * for that month. This is the credit rule, and its only implementation: the credit-run worker applies it to every
 * contract ({@code creditrun.CreditRunChunks}), the SQL only reads contracts and writes the entries it returns. To
 * change how credits are computed, edit this class (the tiers themselves are {@link Policy#tierFor}).
 *
 * <ul>
 * <li>target = fee × tier percent / 100, half-even to the currency's minor unit, never more than the fee (100 %);
 * <li>only a higher tier than already issued gives anything: amount = target − already issued (the difference);
 * <li>an amount of zero or less issues nothing; below the minimum it is recorded, not issued.
 * </ul>
 */
public final class CreditRule {

    private CreditRule() {
    }

    /** What was issued for a (contract, month) before: count of entries, percent, money and days. */
    public record AlreadyIssued(int entries, BigDecimal percent, BigDecimal amount, int days) {
        public static final AlreadyIssued NONE = new AlreadyIssued(0, BigDecimal.ZERO, BigDecimal.ZERO, 0);
    }

    public enum Kind {
        ORIGINAL, ADJUSTMENT
    }

    public record MoneyCredit(Kind kind, BigDecimal amount, BigDecimal percentAdded, boolean belowMinimum) {
    }

    public record ExtensionCredit(Kind kind, int days) {
    }

    /** fee × percent / 100, exact, then half-even to {@code digits} decimals. */
    public static BigDecimal amount(BigDecimal fee, BigDecimal percent, int digits) {
        return fee.multiply(percent).movePointLeft(2).setScale(digits, RoundingMode.HALF_EVEN);
    }

    public static Optional<MoneyCredit> money(BigDecimal fee, int digits, BigDecimal tierPercent, AlreadyIssued issued,
            BigDecimal minimumAmount) {
        if (tierPercent.compareTo(issued.percent()) <= 0) {
            return Optional.empty();
        }
        BigDecimal target = amount(fee, tierPercent, digits).min(fee);
        BigDecimal difference = target.subtract(issued.amount());
        if (difference.signum() <= 0) {
            return Optional.empty();
        }
        Kind kind = issued.entries() == 0 ? Kind.ORIGINAL : Kind.ADJUSTMENT;
        return Optional.of(new MoneyCredit(kind, difference.setScale(digits, RoundingMode.UNNECESSARY),
                tierPercent.subtract(issued.percent()), difference.compareTo(minimumAmount) < 0));
    }

    public static Optional<ExtensionCredit> extension(int tierDays, AlreadyIssued issued) {
        int difference = tierDays - issued.days();
        if (difference <= 0) {
            return Optional.empty();
        }
        return Optional.of(new ExtensionCredit(issued.entries() == 0 ? Kind.ORIGINAL : Kind.ADJUSTMENT, difference));
    }
}

package dev.incidentplatform.compensation.domain;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One version of an SLA policy: tiers ordered by strictly decreasing uptime threshold, each granting strictly more
 * than the one before (a lower uptime never earns less). The tier that applies is the lowest threshold the uptime is
 * strictly below.
 */
public record Policy(String id, int version, PolicyKind kind, List<Tier> tiers) {

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);
    /** More tiers than any published SLA has; the bound keeps a policy readable and its check cheap. */
    public static final int MAX_TIERS = 100;
    /** Ten years of extension: more is a typo. */
    public static final int MAX_EXTENSION_DAYS = 3660;

    public Policy {
        tiers = List.copyOf(tiers);
        List<String> problems = problems(kind, tiers);
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
    }

    /** What is wrong with these tiers, one message per problem, prefixed with the tier's index ("tiers[1].…: …"). */
    public static List<String> problems(PolicyKind kind, List<Tier> tiers) {
        List<String> problems = new ArrayList<>();
        if (tiers == null || tiers.isEmpty()) {
            problems.add("tiers: a policy needs at least one tier");
            return problems;
        }
        if (tiers.size() > MAX_TIERS) {
            problems.add("tiers: at most " + MAX_TIERS + " tiers; " + tiers.size() + " were sent");
            return problems;
        }
        BigDecimal previous = null;
        BigDecimal previousPercent = null;
        Integer previousDays = null;
        for (int i = 0; i < tiers.size(); i++) {
            Tier tier = tiers.get(i);
            String at = "tiers[" + i + "]";
            BigDecimal threshold = tier.belowUptimePercent();
            if (threshold == null) {
                problems.add(at + ".belowUptimePercent: required");
            } else {
                if (threshold.signum() <= 0 || threshold.compareTo(HUNDRED) > 0) {
                    problems.add(at + ".belowUptimePercent: must be in (0, 100]");
                }
                if (threshold.stripTrailingZeros().scale() > Uptime.SCALE) {
                    problems.add(at + ".belowUptimePercent: at most " + Uptime.SCALE + " decimals");
                }
                if (previous != null && threshold.compareTo(previous) >= 0) {
                    problems.add(at + ".belowUptimePercent: thresholds must strictly decrease (" + plain(threshold)
                            + " is not below " + plain(previous) + ")");
                }
                previous = threshold;
            }
            if (kind == PolicyKind.MONEY) {
                BigDecimal percent = tier.creditPercent();
                if (percent == null) {
                    problems.add(at + ".creditPercent: required for a money policy");
                } else if (percent.signum() <= 0 || percent.compareTo(HUNDRED) > 0) {
                    problems.add(at + ".creditPercent: must be in (0, 100]");
                } else if (percent.stripTrailingZeros().scale() > Uptime.SCALE) {
                    problems.add(at + ".creditPercent: at most " + Uptime.SCALE + " decimals");
                } else {
                    if (previousPercent != null && percent.compareTo(previousPercent) <= 0) {
                        problems.add(at + ".creditPercent: a lower uptime must earn a higher credit (" + plain(percent)
                                + " is not above " + plain(previousPercent) + ", the previous tier's)");
                    }
                    previousPercent = percent;
                }
                if (tier.extensionDays() != null) {
                    problems.add(at + ".extensionDays: a money policy grants percents, not days");
                }
            } else if (kind == PolicyKind.EXTENSION) {
                if (tier.extensionDays() == null) {
                    problems.add(at + ".extensionDays: required for an extension policy");
                } else if (tier.extensionDays() <= 0 || tier.extensionDays() > MAX_EXTENSION_DAYS) {
                    problems.add(at + ".extensionDays: must be from 1 to " + MAX_EXTENSION_DAYS);
                } else {
                    if (previousDays != null && tier.extensionDays() <= previousDays) {
                        problems.add(at + ".extensionDays: a lower uptime must earn more days (" + tier.extensionDays()
                                + " is not above " + previousDays + ", the previous tier's)");
                    }
                    previousDays = tier.extensionDays();
                }
                if (tier.creditPercent() != null) {
                    problems.add(at + ".creditPercent: an extension policy grants days, not percents");
                }
            }
        }
        return problems;
    }

    private static String plain(BigDecimal value) {
        return value.stripTrailingZeros().toPlainString();
    }

    /** The tier for this uptime, with its index, if the uptime is below any threshold. */
    public Optional<TierMatch> tierFor(Uptime uptime) {
        TierMatch match = null;
        for (int i = 0; i < tiers.size(); i++) {
            if (uptime.isBelow(tiers.get(i).belowUptimePercent())) {
                match = new TierMatch(i, tiers.get(i));
            }
        }
        return Optional.ofNullable(match);
    }

    public record TierMatch(int index, Tier tier) {
    }
}

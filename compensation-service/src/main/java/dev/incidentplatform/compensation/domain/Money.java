package dev.incidentplatform.compensation.domain;

import java.math.BigDecimal;
import java.util.Currency;
import java.util.regex.Pattern;

/** An exact amount in an ISO 4217 currency, with no more decimals than the currency's minor unit. */
public record Money(BigDecimal amount, Currency currency) {

    private static final Pattern CODE = Pattern.compile("[A-Z]{3}");
    /** The contracts' decimal-string rule (contracts/common/v1: money.amount): no sign, no exponent, 1–4 decimals. */
    private static final Pattern DECIMAL = Pattern.compile("(0|[1-9][0-9]{0,17})(\\.[0-9]{1,4})?");
    public static final String DECIMAL_RULE = "must be a decimal string such as 1250.00: digits, no sign, no leading"
            + " zero, at most 18 before and 4 after the point";

    /** The ISO 4217 currency for a code, if Java knows it as a currency with a minor unit. */
    public static Currency currency(String code) {
        if (code == null || !CODE.matcher(code).matches()) {
            throw new IllegalArgumentException("must be an ISO 4217 currency code (three capital letters)");
        }
        Currency currency;
        try {
            currency = Currency.getInstance(code);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + code + "' is not an ISO 4217 currency");
        }
        if (currency.getDefaultFractionDigits() < 0) {
            throw new IllegalArgumentException("'" + code + "' is not a currency money can be paid in");
        }
        return currency;
    }

    /** Parses a positive fee such as "1250.00" in {@code currency}; the message says what is wrong. */
    public static BigDecimal positiveAmount(String text, Currency currency) {
        if (text == null || !DECIMAL.matcher(text).matches()) {
            throw new IllegalArgumentException(DECIMAL_RULE);
        }
        BigDecimal amount = new BigDecimal(text);
        if (amount.signum() <= 0) {
            throw new IllegalArgumentException("the amount must be greater than zero");
        }
        if (amount.scale() > currency.getDefaultFractionDigits()) {
            throw new IllegalArgumentException(currency.getCurrencyCode() + " has " + currency.getDefaultFractionDigits()
                    + " decimals; this amount has " + amount.scale());
        }
        return amount;
    }

    /** The amount as the contracts write it: a plain decimal string with exactly the currency's decimals. */
    public static String format(BigDecimal amount, int digits) {
        return amount.setScale(digits).toPlainString();
    }
}

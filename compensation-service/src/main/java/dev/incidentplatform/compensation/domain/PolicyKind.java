package dev.incidentplatform.compensation.domain;

import java.util.Locale;

/** What a policy's tiers grant: a percent of the monthly fee, or days of subscription extension. */
public enum PolicyKind {
    MONEY, EXTENSION;

    public static PolicyKind fromWire(String value) {
        try {
            return valueOf(value.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("kind is 'money' or 'extension'");
        }
    }

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }
}

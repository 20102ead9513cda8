package dev.incidentplatform.platform.json;

/**
 * The rules every text a client sends must follow, whatever field it is in: no NUL (PostgreSQL cannot store it), no
 * unpaired UTF-16 surrogate (it cannot be encoded; PostgreSQL would store '?'), and no control character other than
 * tab, line feed and carriage return.
 */
public final class Texts {

    private Texts() {
    }

    /** The first rule the text breaks, or null. */
    public static String violation(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == 0) {
                return "must not contain a NUL character (U+0000)";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                    i++;
                    continue;
                }
                return "must not contain an unpaired surrogate (U+" + hex(c) + "): it is not Unicode text";
            }
            if (Character.isLowSurrogate(c)) {
                return "must not contain an unpaired surrogate (U+" + hex(c) + "): it is not Unicode text";
            }
            if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
                return "must not contain the control character U+" + hex(c);
            }
        }
        return null;
    }

    /** Throws the broken rule; returns the text otherwise. */
    public static String check(String text) {
        if (text != null) {
            String violation = violation(text);
            if (violation != null) {
                throw new TextRuleException(violation);
            }
        }
        return text;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }
}

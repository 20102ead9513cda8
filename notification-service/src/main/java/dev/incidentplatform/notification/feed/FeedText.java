package dev.incidentplatform.notification.feed;

/**
 * Text as every feed format can carry it. Incident events arrive with whatever their producer wrote, and XML 1.0 has
 * no way at all to write NUL, most C0 controls, U+FFFE/U+FFFF or an unpaired surrogate (not even as a character
 * reference), so a feed holding one would not parse anywhere. Each such character, and the other controls the
 * platform's text rule refuses (DEL, C1), becomes U+FFFD: visibly something was there, and the words around it stay
 * apart. Applied once, before any format is written, so that the same entry reads the same in Atom, RSS and JSON.
 */
final class FeedText {

    static final char REPLACEMENT = '\uFFFD';

    private FeedText() {
    }

    /** The text with every character no feed can carry replaced by U+FFFD; null stays null. */
    static String clean(String text) {
        if (text == null) {
            return null;
        }
        StringBuilder cleaned = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1));
            boolean carried = pair || allowed(c);
            if (!carried && cleaned == null) {
                cleaned = new StringBuilder(text.length()).append(text, 0, i);
            }
            if (cleaned != null) {
                if (pair) {
                    cleaned.append(c).append(text.charAt(i + 1));
                } else {
                    cleaned.append(carried ? c : REPLACEMENT);
                }
            }
            if (pair) {
                i++;
            }
        }
        return cleaned == null ? text : cleaned.toString();
    }

    /** A single UTF-16 unit that is a whole character XML 1.0 allows and the platform's text rule accepts. */
    private static boolean allowed(char c) {
        if (c == '\t' || c == '\n' || c == '\r') {
            return true;
        }
        if (c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0)) {
            return false;
        }
        return !Character.isSurrogate(c) && c != '\uFFFE' && c != '\uFFFF';
    }
}

package dev.incidentplatform.platform.problem;

import java.nio.charset.StandardCharsets;

/** The {@code instance} of a problem: the requested path as a URI reference, whatever bytes the client sent. */
public final class Instances {

    private static final int MAX_LENGTH = 512;
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private Instances() {
    }

    /**
     * Percent-encodes everything outside RFC 3986's unreserved and path characters (a path that decodes to a NUL or a
     * space is still a legal reference this way), and cuts very long paths, which would otherwise be echoed whole.
     */
    public static String of(String rawPath) {
        if (rawPath == null || rawPath.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder(Math.min(rawPath.length(), MAX_LENGTH) + 16);
        for (byte b : rawPath.getBytes(StandardCharsets.UTF_8)) {
            if (out.length() >= MAX_LENGTH) {
                out.append("...");
                break;
            }
            char c = (char) (b & 0xFF);
            if (allowed(c)) {
                out.append(c);
            } else {
                out.append('%').append(HEX[(c >> 4) & 0xF]).append(HEX[c & 0xF]);
            }
        }
        return out.toString();
    }

    private static boolean allowed(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || "-._~!$&'()*+,;=:@/%".indexOf(c) >= 0;
    }
}

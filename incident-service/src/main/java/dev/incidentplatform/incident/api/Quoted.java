package dev.incidentplatform.incident.api;

/** A client's value as a problem's detail repeats it: quoted and cut short, never halfway through a character. */
final class Quoted {

    private static final int MAX_LENGTH = 70;

    private Quoted() {
    }

    static String of(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= MAX_LENGTH) {
            return "'" + value + "'";
        }
        // A detail with half a surrogate pair could not be written as JSON at all.
        int end = Character.isHighSurrogate(value.charAt(MAX_LENGTH - 1)) ? MAX_LENGTH - 1 : MAX_LENGTH;
        return "'" + value.substring(0, end) + "…'";
    }
}

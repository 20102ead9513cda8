package dev.incidentplatform.incident.eventstore;

/**
 * A place in commit-safe order: events are read by (writing transaction id, position). Every transaction below the
 * oldest one still running has ended, so once a reader passes a transaction id nothing can appear behind it.
 */
public record Cursor(long transactionId, long position) implements Comparable<Cursor> {

    public static final Cursor START = new Cursor(0, 0);

    @Override
    public int compareTo(Cursor other) {
        int byTransaction = Long.compareUnsigned(transactionId, other.transactionId);
        return byTransaction != 0 ? byTransaction : Long.compare(position, other.position);
    }

    public Cursor max(Cursor other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** As the relay writes it into each record's {@code incident-position} header. */
    @Override
    public String toString() {
        return Long.toUnsignedString(transactionId) + ":" + position;
    }

    public static Cursor parse(String text) {
        int colon = text.indexOf(':');
        return new Cursor(Long.parseUnsignedLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }
}

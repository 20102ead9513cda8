package dev.incidentplatform.platform.outbox;

/**
 * A place in commit order: rows are read by (writing transaction id, position). Every transaction below the oldest one
 * still running has ended, so once a reader passes a transaction id nothing can appear behind it.
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

    /** As a relay writes it into each record's position header, and as PostgreSQL's xid8 reads as text. */
    @Override
    public String toString() {
        return transactionIdText() + ":" + position;
    }

    /** The transaction id as PostgreSQL writes an xid8 (unsigned). */
    public String transactionIdText() {
        return Long.toUnsignedString(transactionId);
    }

    public static Cursor parse(String text) {
        int colon = text.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Not a cursor: " + text);
        }
        return new Cursor(Long.parseUnsignedLong(text.substring(0, colon)), Long.parseLong(text.substring(colon + 1)));
    }
}

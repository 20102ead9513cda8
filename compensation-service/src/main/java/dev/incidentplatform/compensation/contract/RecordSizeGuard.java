package dev.incidentplatform.compensation.contract;

import java.io.FilterReader;
import java.io.IOException;
import java.io.Reader;

/**
 * Bounds the memory one CSV record can take: commons-csv holds a field until it ends, so a quote that is never
 * closed would otherwise read a whole 512 MB body into one string. Counts the characters handed to the parser since
 * the last complete record and fails once they exceed the bound.
 */
final class RecordSizeGuard extends FilterReader {

    /** Thrown (as the parser's IOException) when one record exceeds the bound. */
    static final class RecordTooLarge extends IOException {
        private static final long serialVersionUID = 1L;

        RecordTooLarge() {
            super("record too large");
        }
    }

    private final long maxChars;
    private long sinceRecord;

    RecordSizeGuard(Reader in, long maxChars) {
        super(in);
        // The parser reads ahead by its buffer (8 KiB); a record may legitimately end inside that buffer.
        this.maxChars = maxChars + 16 * 1024;
    }

    /** A record was completed: the count starts again. */
    void recordRead() {
        sinceRecord = 0;
    }

    @Override
    public int read() throws IOException {
        int c = super.read();
        if (c >= 0) {
            count(1);
        }
        return c;
    }

    @Override
    public int read(char[] buffer, int offset, int length) throws IOException {
        int read = super.read(buffer, offset, length);
        if (read > 0) {
            count(read);
        }
        return read;
    }

    private void count(int chars) throws RecordTooLarge {
        sinceRecord += chars;
        if (sinceRecord > maxChars) {
            throw new RecordTooLarge();
        }
    }
}

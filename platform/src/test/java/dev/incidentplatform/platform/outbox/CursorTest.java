package dev.incidentplatform.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CursorTest {

    @Test
    void ordersByTransactionIdUnsignedThenPosition() {
        Cursor low = new Cursor(998, 7);
        Cursor high = new Cursor(1000, 1);
        assertThat(low).isLessThan(high);
        assertThat(new Cursor(1000, 2)).isGreaterThan(high);
        assertThat(new Cursor(-1, 0)).as("xid8 beyond Long.MAX_VALUE").isGreaterThan(new Cursor(Long.MAX_VALUE, 9));
        assertThat(low.max(high)).isEqualTo(high);
    }

    @Test
    void readsBackWhatItWrites() {
        Cursor cursor = new Cursor(-2, 42);
        assertThat(cursor.toString()).isEqualTo("18446744073709551614:42");
        assertThat(Cursor.parse(cursor.toString())).isEqualTo(cursor);
        assertThatThrownBy(() -> Cursor.parse("42")).isInstanceOf(IllegalArgumentException.class);
    }
}

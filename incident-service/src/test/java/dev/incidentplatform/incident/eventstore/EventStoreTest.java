package dev.incidentplatform.incident.eventstore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import dev.incidentplatform.incident.Api;
import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.incident.domain.ComponentStatus;
import dev.incidentplatform.incident.domain.Incident;
import dev.incidentplatform.incident.domain.IncidentCommand;
import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.domain.Severity;
import dev.incidentplatform.incident.events.Envelope;
import dev.incidentplatform.incident.events.EventCodec;
import dev.incidentplatform.incident.eventstore.EventStore.NewEvent;
import dev.incidentplatform.platform.outbox.AppendOnlyTable.Row;
import dev.incidentplatform.platform.outbox.Cursor;
import io.quarkus.test.junit.QuarkusTest;

/** The store's order and optimistic appends, on the real database. */
@QuarkusTest
class EventStoreTest {

    @Inject
    DataSource dataSource;

    @Inject
    EventStore store;

    @Test
    void eventsAreReadInTransactionIdOrderAcrossADecimalDigitBoundary() throws Exception {
        // Regression: ordering by the transaction id's text put '1000' before '998'.
        Api.open();
        long boundary = (long) Math.pow(10, String.valueOf(currentXid() + 20).length());
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            // Move the transaction id counter close to the boundary in one round trip: every sub-block that writes
            // takes an id of its own from the same counter.
            long burn = boundary - 5 - currentXid(statement);
            statement.execute("CREATE TEMP TABLE xid_burner (i int)");
            statement.execute("DO $$ BEGIN FOR i IN 1.." + Math.max(1, burn) + " LOOP BEGIN INSERT INTO xid_burner VALUES (i);"
                    + " EXCEPTION WHEN others THEN NULL; END; END LOOP; END $$");
        }
        for (int i = 0; i < 6; i++) {
            Api.open();
        }
        try (Connection connection = dataSource.getConnection()) {
            List<StoredEvent> events = EventStore.TABLE.read(connection, Cursor.START, 100_000, EventStore::row).stream()
                    .map(Row::value).toList();
            assertThat(events.stream().map(StoredEvent::transactionId)).anyMatch(id -> id < boundary).anyMatch(id -> id >= boundary);
            assertThat(events.stream().map(StoredEvent::transactionId).toList()).isSorted();
            assertThat(events.stream().map(StoredEvent::cursor).toList()).isSorted();
        }
    }

    @Test
    void anAppendAtAVersionAlreadyWrittenIsRefusedAndWritesNothing() throws Exception {
        UUID stream = UUID.randomUUID();
        try (Connection connection = dataSource.getConnection()) {
            store.append(connection, stream, 0, opened(stream));
            assertThatThrownBy(() -> store.append(connection, stream, 0, opened(stream))).isInstanceOf(ConcurrentAppendException.class);
            assertThat(store.readStream(connection, stream)).extracting(StoredEvent::version).containsExactly(1);
        }
    }

    /** A real incident-opened event: the live projector and relay read everything this test appends. */
    private static NewEvent opened(UUID stream) {
        IncidentEvent event = Incident.open(new IncidentCommand.OpenIncident(stream, "Store test", Severity.SEV4, null, "m", null,
                List.of(new Component("teams", List.of("global"), ComponentStatus.DEGRADED_PERFORMANCE)), "store-test"), Instant.now());
        UUID eventId = UUID.randomUUID();
        String data = EventCodec.encode(event, new Envelope(eventId, stream, 1, Instant.now(), "store-test", null, "store-test"));
        return new NewEvent(eventId, event.type(), 1, data, "{}");
    }

    private long currentXid() throws Exception {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            return currentXid(statement);
        }
    }

    private static long currentXid(Statement statement) throws Exception {
        try (ResultSet rows = statement.executeQuery("SELECT pg_current_xact_id()::text")) {
            rows.next();
            return Long.parseLong(rows.getString(1));
        }
    }
}

package dev.incidentplatform.notification.consume;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.YearMonth;
import java.util.List;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.domain.event.IncidentOpened;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.notification.domain.event.ReviewPublished;
import dev.incidentplatform.notification.domain.event.UpdatePosted;
import dev.incidentplatform.platform.consume.CloudEventRecords;
import dev.incidentplatform.platform.consume.UnreadableEventException;
import dev.incidentplatform.testsupport.EventContracts;
import io.cloudevents.CloudEvent;

/** This service's event types against contracts/: every valid example reads; what it needs is checked. */
class EventReaderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final EventReader reader = new EventReader(mapper);
    private final EventContracts contracts = EventContracts.fromRepository();

    @Test
    void everyValidExampleOfEveryConsumedTypeReadsIntoThisServicesTypes() throws IOException {
        for (String type : NotificationEvent.TYPES) {
            List<Path> examples = contracts.examples(type, 1, true);
            assertThat(examples).as(type).isNotEmpty();
            for (Path example : examples) {
                NotificationEvent event = reader.read(type, Files.readAllBytes(example));
                assertThat(event.eventType()).as(example.toString()).isEqualTo(type);
            }
        }
    }

    @Test
    void theExamplesFieldsLandWhereNoticesExpectThem() throws IOException {
        IncidentOpened opened = (IncidentOpened) read("incident-opened", "sev1-global-outage.json");
        assertThat(opened.severity()).isEqualTo("SEV1");
        assertThat(opened.components()).hasSize(2);
        assertThat(opened.components().get(0).global()).isTrue();
        UpdatePosted update = (UpdatePosted) read("update-posted", "identified-partial-recovery.json");
        assertThat(update.streamVersion()).isEqualTo(2);
        assertThat(update.message()).contains("<script>");
        ReviewPublished review = (ReviewPublished) read("review-published", "first-review.json");
        assertThat(review.preventativeMeasures()).hasSize(2);
        CreditIssued money = (CreditIssued) read("credit-issued", "money-credit.json");
        assertThat(money.amount().amount()).isEqualTo(new BigDecimal("1250.00"));
        assertThat(money.amount().currency()).isEqualTo("USD");
        assertThat(money.billingMonth()).isEqualTo(YearMonth.of(2024, 7));
        CreditIssued extension = (CreditIssued) read("credit-issued", "extension-adjustment.json");
        assertThat(extension.amount()).isNull();
        assertThat(extension.extensionDays()).isEqualTo(3);
    }

    @Test
    void unknownFieldsAreIgnored() throws IOException {
        ObjectNode payload = (ObjectNode) mapper.readTree(example("incident-opened", "sev4-single-region.json"));
        payload.put("addedInAMinorRevision", "whatever");
        payload.putObject("nested").put("x", 1);
        assertThat(reader.read("incident-opened", mapper.writeValueAsBytes(payload))).isInstanceOf(IncidentOpened.class);
    }

    @Test
    void unknownTypesAndVersionsAreUnreadableSoThatTheyWaitParkedForAVersionThatReadsThem() throws IOException {
        assertThatThrownBy(() -> reader.read("incident-archived", "{\"anything\":true}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("incident-archived");
        ObjectNode v2 = (ObjectNode) mapper.readTree(example("incident-opened", "sev4-single-region.json"));
        v2.put("schemaVersion", 2);
        v2.remove("title");
        assertThatThrownBy(() -> reader.read("incident-opened", mapper.writeValueAsBytes(v2)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("schema version 2");
    }

    @Test
    void aRecordIsReadAsACloudEventInBinaryModeWithItsTraceparentAndWithoutOne() throws IOException {
        byte[] data = example("update-posted", "resolved.json");
        String eventId = mapper.readTree(data).get("eventId").asText();
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("incident-events", 0, 7, "key", data);
        for (String[] header : new String[][] { { "ce_specversion", "1.0" }, { "ce_id", eventId },
                { "ce_type", "update-posted" }, { "ce_source", "/incident-service" }, { "content-type", "application/json" } }) {
            record.headers().add(header[0], header[1].getBytes(StandardCharsets.UTF_8));
        }
        CloudEvent event = CloudEventRecords.read(record);
        assertThat(event.getId()).isEqualTo(eventId);
        assertThat(reader.read(event)).isInstanceOf(UpdatePosted.class);
        assertThat(CloudEventRecords.traceparent(event)).isEmpty();

        String traceparent = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        record.headers().add("ce_traceparent", traceparent.getBytes(StandardCharsets.UTF_8));
        assertThat(CloudEventRecords.traceparent(CloudEventRecords.read(record))).contains(traceparent);
    }

    @Test
    void aRecordWithoutTheRequiredCloudEventsHeadersIsUnreadable() throws IOException {
        ConsumerRecord<String, byte[]> record = new ConsumerRecord<>("incident-events", 0, 7, "key",
                example("update-posted", "resolved.json"));
        record.headers().add("ce_type", "update-posted".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> CloudEventRecords.read(record)).isInstanceOf(UnreadableEventException.class)
                .hasMessageContaining("not a CloudEvent");
    }

    @Test
    void anEventTypeInTheDataOtherThanTheCloudEventsTypeIsUnreadable() throws IOException {
        assertThatThrownBy(() -> reader.read("incident-opened", example("update-posted", "resolved.json")))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("differs");
    }

    @Test
    void whatCannotBeReadIsRefusedWithAReason() throws IOException {
        assertThatThrownBy(() -> reader.read("incident-opened", "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> reader.read("incident-opened", "[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("not a JSON object");
        for (String broken : List.of("missing-title.json", "event-id-not-a-uuid.json", "no-components.json")) {
            assertThatThrownBy(() -> reader.read("incident-opened", invalid("incident-opened", broken))).as(broken)
                    .isInstanceOf(UnreadableEventException.class);
        }
        assertThatThrownBy(() -> reader.read("update-posted", invalid("update-posted", "effective-at-not-a-time.json")))
                .hasMessageContaining("effectiveAt");
        assertThatThrownBy(() -> reader.read("credit-issued", invalid("credit-issued", "amount-as-number.json")))
                .hasMessageContaining("amount");
        assertThatThrownBy(() -> reader.read("credit-issued", invalid("credit-issued", "neither-amount-nor-extension.json")))
                .hasMessageContaining("extensionDays");
    }

    private NotificationEvent read(String type, String file) throws IOException {
        return reader.read(type, example(type, file));
    }

    private byte[] example(String type, String file) throws IOException {
        return Files.readAllBytes(contracts.directory().resolve(type).resolve("v1/examples/valid").resolve(file));
    }

    private byte[] invalid(String type, String file) throws IOException {
        return Files.readAllBytes(contracts.directory().resolve(type).resolve("v1/examples/invalid").resolve(file));
    }
}

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
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.domain.event.IncidentOpened;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import dev.incidentplatform.notification.domain.event.ReviewPublished;
import dev.incidentplatform.notification.domain.event.UpdatePosted;
import dev.incidentplatform.testsupport.EventContracts;

/** This service's event types against contracts/: every valid example reads; what it needs is checked. */
class EventReaderTest {

    private final ObjectMapper mapper = new ObjectMapper();
    private final EventReader reader = new EventReader(mapper);
    private final EventContracts contracts = EventContracts.fromRepository();

    @Test
    void everyValidExampleOfEveryConsumedTypeReadsIntoThisServicesTypes() throws IOException {
        for (String type : EventReader.KNOWN_TYPES) {
            List<Path> examples = contracts.examples(type, 1, true);
            assertThat(examples).as(type).isNotEmpty();
            for (Path example : examples) {
                Optional<NotificationEvent> event = reader.read(type, Files.readAllBytes(example));
                assertThat(event).as(example.toString()).isPresent();
                assertThat(event.get().eventType()).isEqualTo(type);
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
        assertThat(reader.read("incident-opened", mapper.writeValueAsBytes(payload))).isPresent();
    }

    @Test
    void unknownTypesAndVersionsAreSkippedNotRefused() throws IOException {
        assertThat(reader.read("incident-archived", "{\"anything\":true}".getBytes(StandardCharsets.UTF_8))).isEmpty();
        ObjectNode v2 = (ObjectNode) mapper.readTree(example("incident-opened", "sev4-single-region.json"));
        v2.put("schemaVersion", 2);
        v2.remove("title");
        assertThat(reader.read("incident-opened", mapper.writeValueAsBytes(v2))).isEmpty();
    }

    @Test
    void theTypeComesFromThePayloadWhenTheHeaderIsMissing() throws IOException {
        assertThat(reader.read(null, example("update-posted", "resolved.json"))).get().isInstanceOf(UpdatePosted.class);
    }

    @Test
    void whatCannotBeReadIsRefusedWithAReason() throws IOException {
        assertThatThrownBy(() -> reader.read("incident-opened", "not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("not JSON");
        assertThatThrownBy(() -> reader.read("incident-opened", "[1,2]".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("not a JSON object");
        assertThatThrownBy(() -> reader.read(null, "{}".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(UnreadableEventException.class).hasMessageContaining("ce_type");
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
        return reader.read(type, example(type, file)).orElseThrow();
    }

    private byte[] example(String type, String file) throws IOException {
        return Files.readAllBytes(contracts.directory().resolve(type).resolve("v1/examples/valid").resolve(file));
    }

    private byte[] invalid(String type, String file) throws IOException {
        return Files.readAllBytes(contracts.directory().resolve(type).resolve("v1/examples/invalid").resolve(file));
    }
}

package dev.incidentplatform.incident.events;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.incident.domain.ComponentStatus;
import dev.incidentplatform.incident.domain.Incident;
import dev.incidentplatform.incident.domain.IncidentCommand.OpenIncident;
import dev.incidentplatform.incident.domain.IncidentCommand.PostUpdate;
import dev.incidentplatform.incident.domain.IncidentCommand.PublishReview;
import dev.incidentplatform.incident.domain.IncidentEvent;
import dev.incidentplatform.incident.domain.IncidentStatus;
import dev.incidentplatform.incident.domain.Severity;
import dev.incidentplatform.testsupport.EventContracts;

/** The payloads this service writes are valid against contracts/, and it reads every valid example back. */
class EventContractTest {

    private static final EventContracts CONTRACTS = EventContracts.fromRepository();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Instant NOW = Instant.parse("2024-07-19T05:02:11.417123Z");
    private static final UUID ID = UUID.randomUUID();

    @Test
    void everyEventTheAggregateDecidesIsValidAgainstItsSchema() {
        Incident incident;
        IncidentEvent opened = Incident.open(new OpenIncident(ID, "VMs crash on boot", Severity.SEV1, null, "Investigating",
                Instant.parse("2024-07-19T04:09:00Z"), List.of(new Component("azure-vms", List.of("global"), ComponentStatus.MAJOR_OUTAGE),
                        new Component("teams", List.of("eu-west", "us-east"), ComponentStatus.PARTIAL_OUTAGE)), "alice@ops.example"), NOW);
        incident = Incident.from(List.of(opened));
        IncidentEvent updated = incident.postUpdate(new PostUpdate(UUID.randomUUID(), IncidentStatus.RESOLVED, "Fixed",
                List.of(new Component("teams", List.of("eu-west"), ComponentStatus.OPERATIONAL)), null, "bob@ops.example"), NOW);
        incident.apply(updated);
        IncidentEvent reviewed = incident.publishReview(new PublishReview(UUID.randomUUID(), "Sensor content", "5 h down",
                List.of("Staged rollout"), null, "carol@ops.example"));

        int version = 1;
        for (IncidentEvent event : List.of(opened, updated, reviewed)) {
            String causation = version == 2 ? null : "request-" + version;
            String json = EventCodec.encode(event, new Envelope(UUID.randomUUID(), ID, version++, NOW, "corr-1", causation, "alice@ops.example"));
            assertThat(CONTRACTS.validate(event.type(), EventCodec.SCHEMA_VERSION, json)).as(json).isEmpty();
            EventCodec.Decoded decoded = EventCodec.decode(event.type(), 1, json);
            assertThat(decoded.event()).isEqualTo(event);
        }
    }

    @Test
    void everyValidExampleOfTheContractsReadsIntoTheDomainAndWritesBackTheSame() throws Exception {
        for (String type : List.of("incident-opened", "update-posted", "review-published")) {
            List<Path> examples = CONTRACTS.examples(type, 1, true);
            assertThat(examples).isNotEmpty();
            for (Path example : examples) {
                String original = Files.readString(example);
                EventCodec.Decoded decoded = EventCodec.decode(type, 1, original);
                String written = EventCodec.encode(decoded.event(), decoded.envelope());
                assertThat(CONTRACTS.validate(type, 1, written)).as(example.toString()).isEmpty();
                assertThat(instantsNormalized(JSON.readTree(written))).as(example.toString())
                        .isEqualTo(instantsNormalized(JSON.readTree(original)));
            }
        }
    }

    /** "…T04:09:00Z" and "…T04:09Z" are the same instant; Java writes the shorter. */
    private static JsonNode instantsNormalized(JsonNode node) {
        if (node.isObject()) {
            com.fasterxml.jackson.databind.node.ObjectNode copy = JSON.createObjectNode();
            node.properties().forEach(field -> copy.set(field.getKey(), instantsNormalized(field.getValue())));
            return copy;
        }
        if (node.isArray()) {
            com.fasterxml.jackson.databind.node.ArrayNode copy = JSON.createArrayNode();
            node.forEach(item -> copy.add(instantsNormalized(item)));
            return copy;
        }
        if (node.isTextual() && node.textValue().matches("^\\d{4}-\\d{2}-\\d{2}T.*Z$")) {
            return JSON.getNodeFactory().textNode(Instant.parse(node.textValue()).toString());
        }
        return node;
    }
}

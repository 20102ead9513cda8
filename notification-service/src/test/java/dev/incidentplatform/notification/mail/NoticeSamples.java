package dev.incidentplatform.notification.mail;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.YearMonth;
import java.util.List;
import java.util.UUID;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.CreditNotice;
import dev.incidentplatform.notification.domain.CreditNotice.CreditedIncident;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.domain.IncidentNotice.IncidentState;
import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.domain.event.IncidentOpened;
import dev.incidentplatform.notification.domain.event.ReviewPublished;
import dev.incidentplatform.notification.domain.event.UpdatePosted;

/** Notices as fan-out stores them (JSON of the domain's notice records), and readers of each language and zone. */
final class NoticeSamples {

    static final UUID INCIDENT = UUID.fromString("7d0c2a4e-5b1f-4c7e-9a51-2f3b8d6e1c90");
    static final Instant STARTED = Instant.parse("2024-07-03T14:05:00Z");

    static final EmailRecipient ENGLISH_UTC = new EmailRecipient(UUID.fromString("11111111-2222-4333-8444-555555555555"),
            "ops@example.test", "Ops", null, null, null);
    static final EmailRecipient GERMAN_BERLIN = new EmailRecipient(UUID.fromString("21111111-2222-4333-8444-555555555555"),
            "betrieb@example.test", "Jörg Müller", null, "de", "Europe/Berlin");
    static final EmailRecipient ENGLISH_NEW_YORK = new EmailRecipient(UUID.fromString("31111111-2222-4333-8444-555555555555"),
            "billing@example.test", "Ada Lovelace", "contoso-4711", "en", "America/New_York");

    private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules()
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final List<Component> DOWN = List.of(
            new Component("azure-virtual-machines", List.of("eu-west", "us-east"), "major_outage"),
            new Component("storage", List.of("global"), "degraded_performance"));
    private static final List<Component> RECOVERING = List.of(
            new Component("azure-virtual-machines", List.of("eu-west"), "partial_outage"),
            new Component("azure-virtual-machines", List.of("us-east"), "operational"),
            new Component("storage", List.of("global"), "under_maintenance"));

    /** Stored notices of one delivery, earliest first, and the incident they are about (null for a credit). */
    record Sample(UUID incidentId, List<String> notices) {
    }

    private NoticeSamples() {
    }

    static Sample opened(String title) {
        return new Sample(INCIDENT, List.of(json(openedNotice(title))));
    }

    static Sample coalesced() {
        IncidentState known = new IncidentState("Virtual machines fail to start in eu-west and us-east", "SEV1",
                "investigating", STARTED);
        IncidentNotice identified = IncidentNotice.of(new UpdatePosted(UUID.randomUUID(), STARTED.plusSeconds(1500), INCIDENT,
                2, UUID.randomUUID(), "identified", "The cause is a faulty storage firmware update; we are rolling it back.",
                DOWN, STARTED.plusSeconds(1500), "oncall@ops.example"), known);
        IncidentNotice monitoring = IncidentNotice.of(new UpdatePosted(UUID.randomUUID(), STARTED.plusSeconds(2700), INCIDENT,
                3, UUID.randomUUID(), "monitoring", "A fix is rolling out region by region; new virtual machines start"
                        + " normally again in us-east.\nWe will post again within 30 minutes.",
                RECOVERING, STARTED.plusSeconds(2700), "oncall@ops.example"), known);
        return new Sample(INCIDENT, List.of(json(openedNotice(known.title())), json(identified), json(monitoring)));
    }

    /** The last notice of a sample alone: one update, as a mail that covers nothing else shows it. */
    static Sample latestOnly(Sample sample) {
        return new Sample(sample.incidentId(), List.of(sample.notices().get(sample.notices().size() - 1)));
    }

    static Sample review() {
        IncidentState known = new IncidentState("Storage unavailable in eu-west", "SEV2", "resolved", STARTED);
        IncidentNotice review = IncidentNotice.of(new ReviewPublished(UUID.randomUUID(), STARTED.plusSeconds(86_400), INCIDENT,
                5, UUID.randomUUID(), 1, "A configuration push <without> a canary & a staged rollout.",
                "Storage in eu-west was unavailable for 40 minutes; writes failed, reads were served from replicas.",
                List.of("Staged rollouts", "Canary checks before every configuration push",
                        "An alert on the error rate of writes per region"), "reliability@ops.example"), known);
        return new Sample(INCIDENT, List.of(json(review)));
    }

    static Sample credit() {
        CreditIssued credit = credit(new CreditIssued.Money(new BigDecimal("1250.00"), "USD"), null, "original");
        return new Sample(null, List.of(json(new CreditNotice(credit, List.of(
                new CreditedIncident(INCIDENT, "Virtual machines fail to start in eu-west", STARTED,
                        Instant.parse("2024-07-03T19:36:00Z")),
                new CreditedIncident(UUID.fromString("0b7e6c1d-1111-4222-8333-444455556666"), null, null, null),
                new CreditedIncident(UUID.fromString("9a8b7c6d-1111-4222-8333-444455556666"), "Storage latency in us-east",
                        Instant.parse("2024-07-21T00:00:00Z"), null))))));
    }

    static Sample extensionCredit() {
        CreditIssued credit = credit(null, 3, "adjustment");
        return new Sample(null, List.of(json(new CreditNotice(credit, List.of(new CreditedIncident(INCIDENT,
                "Virtual machines fail to start in eu-west", STARTED, Instant.parse("2024-07-04T02:10:00Z")))))));
    }

    /** A credit notice as stored before fan-out recorded its incidents: the bare event. */
    static String creditAsFirstStored() {
        return json(credit(new CreditIssued.Money(new BigDecimal("1250.00"), "USD"), null, "original"));
    }

    private static CreditIssued credit(CreditIssued.Money amount, Integer days, String kind) {
        return new CreditIssued(UUID.randomUUID(), Instant.parse("2024-08-02T06:00:00Z"), UUID.randomUUID(), "contoso-4711",
                "azure-virtual-machines", YearMonth.of(2024, 7), List.of(INCIDENT), new BigDecimal("331"),
                new BigDecimal("99.2585"), amount == null ? null : BigDecimal.TEN, amount, days, "azure-vm-99.99", 1, kind,
                Instant.parse("2024-08-02T06:00:00Z"));
    }

    private static IncidentNotice openedNotice(String title) {
        return IncidentNotice.of(new IncidentOpened(UUID.randomUUID(), STARTED, INCIDENT, 1, title, "SEV1", "investigating",
                DOWN, STARTED, "We are investigating failures to start virtual machines in eu-west and us-east.",
                "oncall@ops.example"));
    }

    private static String json(Object notice) {
        try {
            return JSON.writeValueAsString(notice);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

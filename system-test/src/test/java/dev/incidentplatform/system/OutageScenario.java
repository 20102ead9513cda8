package dev.incidentplatform.system;

import static dev.incidentplatform.system.ReplicatedSystem.as;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;

import dev.incidentplatform.testsupport.MailServer;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.restassured.path.json.JsonPath;
import jakarta.mail.internet.MimeMessage;

/**
 * One backfilled outage through the three running services, joined only by Kafka: incident-service records and
 * publishes it, notification-service mails the subscribers it concerns, compensation-service credits the contract it
 * touched and notification-service mails that credit too.
 *
 * <p>The outage: azure-virtual-machines in major outage everywhere from 2024-07-10 00:00 to 12:00 UTC, 720
 * minutes of July's 44 640. Uptime (44 640 − 720) / 44 640 = 98.387 %, below 99 %, so the azure-99.9 policy gives
 * 25 % of a 1 000.00 USD fee: 250.00 USD.
 */
final class OutageScenario {

    static final Map<String, Integer> TOPICS = Map.of("incident-events", 6, "credit-events", 6,
            "incident-events.notification-service.dlq", 1, "credit-events.notification-service.dlq", 1,
            "incident-events.compensation-service.dlq", 1);
    private static final Duration PATIENCE = Duration.ofSeconds(120);

    private OutageScenario() {
    }

    /** Records, notices and credits one outage, and checks each happened exactly once and only where it should. */
    static void recordNoticeAndCredit(ServiceProcess incidents, ServiceProcess notifications, ServiceProcess compensation)
            throws Exception {
        MailServer mail = TestInfrastructure.mail();
        String customer = "system-" + UUID.randomUUID();
        String affected = "oncall@" + customer + ".example";
        String unaffected = "teams-only@" + customer + ".example";

        String affectedId = as(notifications, "subscriber-admin").contentType("application/json")
                .body(Map.of("email", affected, "customerId", customer, "services", List.of("azure-virtual-machines"),
                        "regions", List.of("eu-west")))
                .post("/api/subscribers").then().statusCode(201).extract().path("id");
        String unaffectedId = as(notifications, "subscriber-admin").contentType("application/json")
                .body(Map.of("email", unaffected, "services", List.of("teams"), "regions", List.of()))
                .post("/api/subscribers").then().statusCode(201).extract().path("id");
        as(compensation, "billing-admin").contentType("application/json")
                .body(Map.of("customerId", customer, "service", "azure-virtual-machines", "regions", List.of("eu-west"),
                        "monthlyFee", Map.of("amount", "1000.00", "currency", "USD"), "policyId", "azure-99.9",
                        "effectiveFrom", "2024-07"))
                .post("/api/contracts").then().statusCode(201);

        String incident = as(incidents, "incident-writer").contentType("application/json")
                .body(Map.of("title", "Virtual machines fail to boot", "severity", "SEV1",
                        "message", "VMs crash on boot after a faulty sensor update.", "startedAt", "2024-07-10T00:00:00Z",
                        "components", List.of(Map.of("service", "azure-virtual-machines", "regions", List.of("global"),
                                "status", "major_outage"))))
                .post("/api/incidents").then().statusCode(201).extract().path("id");
        as(incidents, "incident-writer").contentType("application/json")
                .body(Map.of("status", "resolved", "message", "All VMs have recovered.", "effectiveAt", "2024-07-10T12:00:00Z",
                        "components", List.of(Map.of("service", "azure-virtual-machines", "regions", List.of("global"),
                                "status", "operational"))))
                .post("/api/incidents/" + incident + "/updates").then().statusCode(201);

        // The billing analyst's view: one original credit, computed from the incident's 720 minutes.
        JsonPath credits = Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500))
                .until(() -> as(compensation, "billing-auditor").get("/api/credits?customerId=" + customer).then()
                        .statusCode(200).extract().jsonPath(), page -> page.getInt("totalItems") == 1);
        assertThat(credits.getString("items[0].kind")).isEqualTo("original");
        assertThat(credits.getString("items[0].amount.amount")).isEqualTo("250.00");
        assertThat(credits.getString("items[0].amount.currency")).isEqualTo("USD");
        assertThat(credits.getString("items[0].billingMonth")).isEqualTo("2024-07");
        assertThat(credits.getList("items[0].incidentIds", String.class)).containsExactly(incident);

        // The customer's view: the incident's notices, then the credit notice, all to the subscriber it concerns.
        List<MimeMessage> credited = mail.awaitMessages(1, PATIENCE,
                message -> Mails.to(message, affected) && Mails.text(message).contains("250.00"));
        assertThat(Mails.text(credited.get(0))).contains("azure-virtual-machines", "July 2024", "720 minutes", incident);
        List<MimeMessage> noticed = mail.awaitMessages(1, PATIENCE,
                message -> Mails.to(message, affected) && incident.equals(Mails.header(message, "X-Incident-Id")));
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(500)).until(() ->
                as(notifications, "subscriber-admin").get("/api/deliveries?incidentId=" + incident + "&recipientId=" + affectedId)
                        .then().statusCode(200).extract().jsonPath().getList("items.status", String.class),
                statuses -> statuses.size() == 2 && statuses.stream().allMatch(s -> s.equals("sent") || s.equals("coalesced")));
        assertThat(noticed).allSatisfy(message -> assertThat(message.getSubject()).contains("SEV1", "Virtual machines fail to boot"));

        // Nobody else heard about it: the teams-only subscriber has no delivery for this incident.
        assertThat(as(notifications, "subscriber-admin").get("/api/deliveries?incidentId=" + incident + "&recipientId=" + unaffectedId)
                .then().statusCode(200).extract().jsonPath().getInt("totalItems")).isZero();
        // Exactly once: one credit mail, and the incident's two events reached the subscriber in at most two mails.
        assertThat(mail.receivedMessages().stream().filter(m -> Mails.to(m, affected) && Mails.text(m).contains("250.00"))).hasSize(1);
        assertThat(mail.receivedMessages().stream().filter(m -> Mails.to(m, affected) && incident.equals(Mails.header(m, "X-Incident-Id"))))
                .hasSizeBetween(1, 2);
    }

}

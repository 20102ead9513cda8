package dev.incidentplatform.notification.delivery;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.notNullValue;

import java.time.Duration;
import java.util.List;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.RecipientRoutingTransport;
import dev.incidentplatform.notification.support.RejectingSmtpServer;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;

/**
 * SMTP trouble: a server that is away is retried with backoff until it is back; a refusal fails at once with its reply;
 * a server that never answers costs one send timeout, not a sender.
 */
@QuarkusTest
class SmtpFailureTest {

    @Test
    void whileTheSmtpServerIsDownSendsAreRetriedAndDeliveredOnceItIsBack() {
        String service = Api.unique("down");
        String address = "patient@" + Api.unique("down") + ".example.test";
        UUID subscriberId = Api.createSubscriber(address, List.of(service), List.of());
        TestInfrastructure.mail().stop();
        try {
            TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "SMTP outage test", "SEV3",
                    List.of(component(service, "partial_outage", "global"))));
            Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    Api.admin().queryParam("recipientId", subscriberId.toString()).when().get("/api/deliveries")
                            .then().body("items[0].attempts", greaterThanOrEqualTo(3))
                            .body("items[0].lastError", notNullValue()));
            assertThat(Mails.to(address)).isEmpty();
        } finally {
            TestInfrastructure.mail().start();
        }

        Mails.awaitTo(address, 1);
        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("recipientId", subscriberId.toString()).when().get("/api/deliveries")
                        .then().body("items[0].status", equalTo("sent")).body("items[0].lastError", equalTo(null)));
        assertThat(Mails.to(address)).hasSize(1);
    }

    @Test
    void aPermanentRejectionFailsAtOnceWithTheServersReply() {
        String service = Api.unique("reject");
        String address = "nobody@" + RecipientRoutingTransport.REJECTED_DOMAIN;
        UUID subscriberId = Api.createSubscriber(Api.unique("nobody") + "@" + RecipientRoutingTransport.REJECTED_DOMAIN,
                List.of(service), List.of());
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Rejection test", "SEV4",
                List.of(component(service, "degraded_performance", "global"))));

        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("recipientId", subscriberId.toString()).when().get("/api/deliveries")
                        .then().body("items[0].status", equalTo("failed"))
                        .body("items[0].attempts", equalTo(1))
                        .body("items[0].lastError", containsString("550"))
                        .body("items[0].lastError", containsString("5.1.1")));
        Api.admin().queryParam("recipientId", subscriberId.toString()).queryParam("status", "failed")
                .when().get("/api/deliveries").then().body("totalItems", equalTo(1));
        assertThat(RejectingSmtpServer.REPLY).startsWith("550");
        assertThat(Mails.to(address)).isEmpty();
    }

    @Test
    void aServerThatNeverAnswersCostsOneSendTimeoutNotASenderAndIsNotRetriedForSomeoneWhoLeft() {
        String service = Api.unique("silent");
        UUID waitingId = Api.createSubscriber(Api.unique("waiting") + "@" + RecipientRoutingTransport.SILENT_DOMAIN,
                List.of(service), List.of());
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Silent server test", "SEV3",
                List.of(component(service, "partial_outage", "global"))));
        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("recipientId", waitingId.toString()).when().get("/api/deliveries")
                        .then().body("items[0].status", equalTo("sending")));

        // Deleting the subscriber cancels what is pending, but this row is being sent: when its send times out it
        // must be cancelled, not queued for a retry.
        Api.admin().when().delete("/api/subscribers/" + waitingId).then().statusCode(204);

        // While that send hangs, the other senders carry on.
        String reached = "reached@" + Api.unique("silent") + ".example.test";
        String otherService = Api.unique("audible");
        Api.createSubscriber(reached, List.of(otherService), List.of());
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Audible server test", "SEV3",
                List.of(component(otherService, "partial_outage", "global"))));
        Mails.awaitTo(reached, 1);

        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("recipientId", waitingId.toString()).when().get("/api/deliveries")
                        .then().body("items[0].status", equalTo("cancelled"))
                        .body("items[0].attempts", equalTo(1))
                        .body("items[0].lastError", containsString("no answer from the SMTP server within PT10S")));
    }
}

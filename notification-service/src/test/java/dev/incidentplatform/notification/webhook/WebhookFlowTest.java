package dev.incidentplatform.notification.webhook;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.standardwebhooks.Webhook;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.notification.support.WebhookReceiver;
import dev.incidentplatform.notification.support.WebhookReceiver.Answer;
import dev.incidentplatform.notification.support.Webhooks;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.quarkus.test.junit.QuarkusTest;

/**
 * End to end: events produced to the real broker reach webhook endpoints through the fan-out (the recipient view) and
 * the delivery pipeline, signed, retried with the same webhook-id, and credits only where the endpoint names the
 * customer.
 */
@QuarkusTest
class WebhookFlowTest {

    private static WebhookReceiver receiver;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    private static List<WebhookReceiver.Request> await(String path, int count) {
        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100))
                .until(() -> receiver.requests(path).size() >= count);
        return receiver.requests(path);
    }

    private static Map<String, List<String>> signature(WebhookReceiver.Request request) {
        return Map.of("webhook-id", List.of(request.header("webhook-id")), "webhook-timestamp",
                List.of(request.header("webhook-timestamp")), "webhook-signature", List.of(request.header("webhook-signature")));
    }

    @Test
    void anIncidentEventReachesTheMatchingEndpointsAsASignedCloudEventAndNotTheOthers() throws Exception {
        String service = Api.unique("hooked");
        String matching = "/flow/" + UUID.randomUUID();
        String elsewhere = "/flow-elsewhere/" + UUID.randomUUID();
        Webhooks.Created endpoint = Webhooks.create(Webhooks.body(receiver.url(matching), "generic", List.of(service),
                List.of("eu-west"), null, null));
        Webhooks.Created other = Webhooks.create(Webhooks.body(receiver.url(elsewhere), "generic", List.of(service),
                List.of("ap-south"), null, null));
        UUID incidentId = UUID.randomUUID();
        Map<String, Object> opened = TestEvents.incidentOpened(incidentId, "Hooked storage down", "SEV1",
                List.of(component(service, "major_outage", "eu-west")));

        TestEvents.publish(opened);

        WebhookReceiver.Request request = await(matching, 1).get(0);
        new Webhook(endpoint.secret()).verify(request.body(), signature(request));
        CloudEvent event = new JsonFormat().deserialize(request.body().getBytes(StandardCharsets.UTF_8));
        assertThat(event.getType()).isEqualTo("incident-opened");
        assertThat(event.getId()).isEqualTo(opened.get("eventId"));
        assertThat(event.getSubject()).isEqualTo(incidentId.toString());
        assertThat(new String(event.getData().toBytes(), StandardCharsets.UTF_8)).contains("Hooked storage down");
        // The fan-out wrote every recipient's row in the transaction that let this one go: none for the other endpoint.
        Api.admin().queryParam("recipientId", other.id().toString()).when().get("/api/deliveries").then().statusCode(200)
                .body("totalItems", equalTo(0));
        assertThat(receiver.requests(elsewhere)).isEmpty();
    }

    @Test
    void aFailedRequestIsRetriedWithTheSameWebhookId() {
        String service = Api.unique("retried");
        String path = "/flow-retry/" + UUID.randomUUID();
        receiver.answer(path, Answer.status(503).withHeader("Retry-After", "1"));
        Webhooks.create(receiver.url(path), "slack", List.of(service), null);

        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Retried", "SEV2",
                List.of(component(service, "degraded_performance", "global"))));
        await(path, 1);
        receiver.answer(path, Answer.status(200));

        List<WebhookReceiver.Request> requests = await(path, 2);
        assertThat(requests).extracting(r -> r.header("webhook-id")).containsOnly(requests.get(0).header("webhook-id"));
    }

    @Test
    void aCreditReachesOnlyTheEndpointsOfItsCustomer() {
        String customer = Api.unique("cust");
        String ofCustomer = "/flow-credit/" + UUID.randomUUID();
        String ofNobody = "/flow-credit-none/" + UUID.randomUUID();
        // Credits go by customer whatever the services; a service of their own keeps other tests' incidents away.
        List<String> noIncidents = List.of(Api.unique("credit-only"));
        Webhooks.create(Webhooks.body(receiver.url(ofCustomer), "teams", noIncidents, List.of(), customer, null));
        Webhooks.create(Webhooks.body(receiver.url(ofNobody), "teams", noIncidents, List.of(), null, null));

        TestEvents.publish(TestEvents.creditIssued(customer, UUID.randomUUID()));

        assertThat(await(ofCustomer, 1).get(0).body()).contains("Service credit for azure-virtual-machines");
        assertThat(receiver.requests(ofNobody).stream().filter(r -> r.body().contains("Service credit"))).isEmpty();
    }
}

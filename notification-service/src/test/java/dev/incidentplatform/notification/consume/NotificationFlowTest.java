package dev.incidentplatform.notification.consume;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.Mails.Received;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;

/** Events produced to the real broker become the right emails in the real SMTP server, exactly once. */
@QuarkusTest
class NotificationFlowTest {

    @Test
    void anIncidentReachesTheMatchingSubscribersAsAThreadedTwoPartEmailWithEscapedText() {
        String service = Api.unique("vm");
        String domain = Api.unique("flow") + ".example.test";
        String follower = "follower@" + domain;
        String everyRegion = "every-region@" + domain;
        String elsewhere = "elsewhere@" + domain;
        UUID followerId = Api.createSubscriber(follower, List.of(service), List.of("eu-west"));
        Api.createSubscriber(everyRegion, List.of(service), List.of());
        Api.createSubscriber(elsewhere, List.of(service), List.of("ap-south"));
        UUID incidentId = UUID.randomUUID();
        String title = "VMs <script>alert(1)</script> & \"quotes\" down";

        TestEvents.publish(TestEvents.incidentOpened(incidentId, title, "SEV1",
                List.of(component(service, "major_outage", "eu-west", "us-east"))));

        Received first = Mails.awaitTo(follower, 1).get(0);
        Mails.awaitTo(everyRegion, 1);
        String shortId = incidentId.toString().substring(0, 8);
        assertThat(first.subject()).isEqualTo("[SEV1] " + title + " — Investigating (#" + shortId + ")");
        assertThat(first.text()).contains(title).contains("We are investigating reports of failures.")
                .contains(service + " (eu-west, us-east): Major outage");
        assertThat(first.html()).doesNotContain("<script>").contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quotes&quot;");
        String root = "<incident-" + incidentId + "." + followerId + "@notices.example.test>";
        assertThat(first.header("Message-ID")).isEqualTo(root);
        assertThat(first.header("In-Reply-To")).isNull();
        String unsubscribe = first.header("List-Unsubscribe");
        assertThat(unsubscribe).matches("<https://status\\.example\\.test/unsubscribe\\?token=[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]+>");
        assertThat(first.header("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        String link = unsubscribe.substring(1, unsubscribe.length() - 1);
        assertThat(first.text()).contains(link);
        assertThat(first.html()).contains("href=\"" + link + "\"");

        TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "identified", "Cause found: bad <b>sensor</b> update",
                List.of(component(service, "partial_outage", "eu-west", "us-east"))));

        Received second = Mails.awaitTo(follower, 2).stream().filter(m -> !m.header("Message-ID").equals(root)).findFirst()
                .orElseThrow();
        assertThat(second.subject()).isEqualTo("[SEV1] " + title + " — Identified (#" + shortId + ")");
        assertThat(second.header("In-Reply-To")).isEqualTo(root);
        assertThat(second.header("References")).isEqualTo(root);
        assertThat(second.html()).contains("Cause found: bad &lt;b&gt;sensor&lt;/b&gt; update");
        assertThat(Mails.to(elsewhere)).isEmpty();
    }

    @Test
    void aPostIncidentReviewReachesWhoeverHeardOfTheIncidentInItsThread() {
        String service = Api.unique("review");
        String address = "reader@" + Api.unique("review") + ".example.test";
        UUID subscriberId = Api.createSubscriber(address, List.of(service), List.of("eu-west"));
        UUID incidentId = UUID.randomUUID();
        List<TestEvents.Comp> components = List.of(component(service, "major_outage", "eu-west"));
        TestEvents.publish(TestEvents.incidentOpened(incidentId, "Storage down", "SEV2", components));
        Mails.awaitTo(address, 1);
        TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "resolved", "Recovered.",
                List.of(component(service, "operational", "eu-west"))));
        Mails.awaitTo(address, 2);

        TestEvents.publish(TestEvents.reviewPublished(incidentId, 3, "A <bad> config push & a missing canary."));

        Received review = Mails.awaitTo(address, 3).stream().filter(m -> m.subject().contains("Post-incident review"))
                .findFirst().orElseThrow();
        assertThat(review.subject()).isEqualTo("[SEV2] Storage down — Post-incident review (#"
                + incidentId.toString().substring(0, 8) + ")");
        assertThat(review.text()).contains("A <bad> config push & a missing canary.").contains("- Staged rollouts");
        assertThat(review.html()).contains("A &lt;bad&gt; config push &amp; a missing canary.");
        assertThat(review.header("In-Reply-To")).isEqualTo("<incident-" + incidentId + "." + subscriberId + "@notices.example.test>");
    }

    @Test
    void deliveriesAndParkedEventsShowInTheMetrics() {
        String service = Api.unique("metrics");
        String address = "metrics@" + Api.unique("metrics") + ".example.test";
        Api.createSubscriber(address, List.of(service), List.of());
        TestEvents.send("incident-events", UUID.randomUUID().toString(), "{}".getBytes(StandardCharsets.UTF_8),
                Map.of("ce_type", "incident-renamed"));
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Metrics", "SEV4",
                List.of(component(service, "degraded_performance", "global"))));
        Mails.awaitTo(address, 1);

        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();
            assertThat(metrics).contains("notification_deliveries_sent_total", "notification_deliveries_pending",
                    "notification_fanout_lag_seconds_count", "notification_delivery_lag_seconds_count")
                    .containsPattern("events_parked_total\\{cause=\"unreadable\",consumer_group=\"notification-service\","
                            + "topic=\"incident-events\",?} [1-9]");
        });
    }

    @Test
    void theSameEventDeliveredTwiceSendsOneEmailPerSubscriber() {
        String service = Api.unique("teams");
        String domain = Api.unique("twice") + ".example.test";
        List<String> addresses = List.of("a@" + domain, "b@" + domain, "c@" + domain);
        addresses.forEach(address -> Api.createSubscriber(address, List.of(service), List.of()));
        UUID incidentId = UUID.randomUUID();
        Map<String, Object> event = TestEvents.incidentOpened(incidentId, "Teams degraded", "SEV2",
                List.of(component(service, "degraded_performance", "global")));

        TestEvents.publish(event);
        TestEvents.publish(event);
        addresses.forEach(address -> Mails.awaitTo(address, 1));
        // A later event of the same incident is consumed after the duplicate: once it is mailed, the duplicate was handled.
        TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "resolved", "Fixed.",
                List.of(component(service, "operational", "global"))));

        for (String address : addresses) {
            List<Received> mails = Mails.awaitTo(address, 2);
            assertThat(mails).hasSize(2);
            assertThat(mails).extracting(Received::subject).anyMatch(s -> s.contains("Investigating"))
                    .anyMatch(s -> s.contains("Resolved"));
        }
        Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats")
                .then().statusCode(200).body("channels.email.sent", equalTo(6)).body("channels.email.total", equalTo(6));
    }

    @Test
    void rapidUpdatesStillPendingForASubscriberGoOutAsOneEmailListingTheLatestFirst() {
        String service = Api.unique("exchange");
        String address = "flood@" + Api.unique("flood") + ".example.test";
        UUID subscriberId = Api.createSubscriber(address, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        List<TestEvents.Comp> components = List.of(component(service, "major_outage", "global"));
        // Unsubscribe-free way to hold the sends back: the SMTP server is down while the updates arrive.
        TestInfrastructure.mail().stop();
        try {
            TestEvents.publish(TestEvents.incidentOpened(incidentId, "Mail delayed", "SEV2", components));
            TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "identified", "Update one", components));
            TestEvents.publish(TestEvents.updatePosted(incidentId, 3, "monitoring", "Update two", components));
            Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats")
                            .then().body("channels.email.total", equalTo(3)));
        } finally {
            TestInfrastructure.mail().start();
        }

        Received mail = Mails.awaitTo(address, 1).get(0);
        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats")
                        .then().body("channels.email.sent", equalTo(1)).body("channels.email.coalesced", equalTo(2)));
        assertThat(mail.subject()).contains("Monitoring");
        assertThat(mail.text()).contains("This notice covers 3 updates");
        assertThat(mail.text().indexOf("Update two")).as("the latest first").isLessThan(mail.text().indexOf("Update one"));
        assertThat(mail.text().indexOf("Update one")).isLessThan(mail.text().indexOf("We are investigating"));
        assertThat(mail.header("Message-ID")).startsWith("<incident-" + incidentId + "." + subscriberId);
        assertThat(Mails.to(address)).hasSize(1);
    }

    @Test
    void aCreditNoticeGoesToTheCustomersSubscribersWithAmountServiceMonthAndIncidents() {
        String customer = Api.unique("contoso");
        String domain = Api.unique("credit") + ".example.test";
        Api.createSubscriber("billing@" + domain, customer, List.of("some-other-service"), List.of("ap-south"));
        Api.createSubscriber("other@" + domain, Api.unique("fabrikam"), List.of(Api.unique("unrelated")), List.of());
        UUID incidentId = UUID.randomUUID();

        TestEvents.publish(TestEvents.creditIssued(customer, incidentId));

        Received mail = Mails.awaitTo("billing@" + domain, 1).get(0);
        assertThat(mail.subject()).isEqualTo("Service credit for azure-virtual-machines, July 2024: 1,250.00 USD");
        // This service never saw the incident open: it is named by its short id, and linked.
        assertThat(mail.text()).contains("1,250.00 USD").contains("azure-virtual-machines").contains("July 2024")
                .contains("- Incident " + incidentId.toString().substring(0, 8))
                .contains("https://status.example.test/incidents/" + incidentId);
        assertThat(mail.html()).contains("1,250.00 USD").contains("/incidents/" + incidentId + "\"");
        assertThat(mail.header("List-Unsubscribe-Post")).isEqualTo("List-Unsubscribe=One-Click");
        assertThat(Mails.to("other@" + domain)).isEmpty();
    }

    @Test
    void anUnreadableRecordIsParkedAtOnceOnTheDeadLetterTopicWithItsReasonAndTheNextRecordIsProcessed() {
        String service = Api.unique("dlq");
        String address = "after-poison@" + Api.unique("dlq") + ".example.test";
        Api.createSubscriber(address, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        String poison = "{\"eventType\":\"incident-opened\",\"schemaVersion\":1,\"incidentId\":\"" + incidentId + "\"";
        Map<String, Object> claimed = TestEvents.incidentOpened(incidentId, "Poison", "SEV3", List.of());
        // Same key as the next event: same partition, so the next event is only reached past the poison record.
        TestEvents.send("incident-events", incidentId.toString(), poison.getBytes(StandardCharsets.UTF_8),
                TestEvents.cloudEventHeaders(claimed, incidentId.toString()));
        TestEvents.send("incident-events", incidentId.toString(), "{\"whatever\":1}".getBytes(StandardCharsets.UTF_8),
                Map.of("ce_type", "incident-archived"));
        TestEvents.publish(TestEvents.incidentOpened(incidentId, "After the poison", "SEV3",
                List.of(component(service, "partial_outage", "global"))));

        Mails.awaitTo(address, 1);
        ConsumerRecord<String, byte[]> dead = deadLetter("incident-events.notification-service.dlq", incidentId.toString());
        assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo(poison);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("not JSON");
        assertThat(new String(dead.headers().lastHeader("dead-letter-topic").value(), StandardCharsets.UTF_8))
                .isEqualTo("incident-events");
        assertThat(new String(dead.headers().lastHeader("dead-letter-attempts").value(), StandardCharsets.UTF_8))
                .isEqualTo("1");
        assertThat(new String(dead.headers().lastHeader("ce_id").value(), StandardCharsets.UTF_8))
                .isEqualTo(claimed.get("eventId"));
    }

    @Test
    void aPayloadMissingARequiredFieldIsParkedWithTheFieldNamed() {
        String customer = Api.unique("no-amount");
        Map<String, Object> credit = TestEvents.creditIssued(customer, UUID.randomUUID());
        credit.remove("customerId");
        TestEvents.send("credit-events", customer, TestEvents.json(credit).getBytes(StandardCharsets.UTF_8),
                TestEvents.cloudEventHeaders(credit, customer));

        ConsumerRecord<String, byte[]> dead = deadLetter("credit-events.notification-service.dlq", customer);
        assertThat(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8))
                .contains("customerId");
    }

    private static ConsumerRecord<String, byte[]> deadLetter(String topic, String key) {
        Properties properties = TestInfrastructure.kafka().clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "test-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(topic));
            return Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ZERO).until(() -> {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (key.equals(record.key())) {
                        return record;
                    }
                }
                return null;
            }, record -> record != null);
        }
    }
}

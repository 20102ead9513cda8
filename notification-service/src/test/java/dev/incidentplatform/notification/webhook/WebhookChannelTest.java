package dev.incidentplatform.notification.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.standardwebhooks.Webhook;

import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Failure;
import dev.incidentplatform.notification.channel.Notice;
import dev.incidentplatform.notification.channel.Outcomes;
import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.RecipientRoutingTransport;
import dev.incidentplatform.notification.support.WebhookReceiver;
import dev.incidentplatform.notification.support.WebhookReceiver.Answer;
import dev.incidentplatform.notification.support.Webhooks;
import io.cloudevents.CloudEvent;
import io.cloudevents.jackson.JsonFormat;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The webhook channel against a real HTTP server on loopback, fed with deliveries built here as the pipeline builds
 * them: what arrives (signed, in each format), how each answer classifies, and what becomes of the endpoint.
 */
@QuarkusTest
class WebhookChannelTest {

    private static final Duration WAIT = Duration.ofSeconds(10);
    private static WebhookReceiver receiver;

    @Inject
    WebhookChannel channel;

    @Inject
    ObjectMapper mapper;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void startReceiver() {
        receiver = WebhookReceiver.start();
    }

    @AfterAll
    static void stopReceiver() {
        receiver.close();
    }

    /** What the channel reported, per delivery: "sent" or the Failure. */
    static final class Recorded implements Outcomes {
        final Map<UUID, Object> outcomes = new ConcurrentHashMap<>();
        final Map<UUID, Integer> reports = new ConcurrentHashMap<>();

        @Override
        public void sent(Delivery delivery) {
            outcomes.put(delivery.id(), "sent");
            reports.merge(delivery.id(), 1, Integer::sum);
        }

        @Override
        public void failed(Delivery delivery, Failure failure) {
            outcomes.put(delivery.id(), failure);
            reports.merge(delivery.id(), 1, Integer::sum);
        }

        Failure failure(Delivery delivery) {
            Object outcome = outcomes.get(delivery.id());
            assertThat(outcome).as("the outcome of %s", delivery.id()).isInstanceOf(Failure.class);
            return (Failure) outcome;
        }
    }

    private Recorded send(Delivery... deliveries) {
        Recorded recorded = new Recorded();
        channel.send(List.of(deliveries), recorded);
        assertThat(recorded.reports).as("every delivery reported exactly once").hasSize(deliveries.length)
                .allSatisfy((id, count) -> assertThat(count).isEqualTo(1));
        return recorded;
    }

    private Notice incidentNotice(UUID incidentId, int streamVersion, String type, String title, String status,
            String message, List<Component> components) throws Exception {
        Instant at = Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(60L * (10 - streamVersion));
        IncidentNotice notice = new IncidentNotice(type, incidentId, streamVersion, title, "SEV1", status, message, components,
                at, null, at);
        return new Notice(UUID.randomUUID(), type, at, mapper.writeValueAsString(notice));
    }

    private Notice opened(UUID incidentId, String title) throws Exception {
        return incidentNotice(incidentId, 1, "incident-opened", title, "investigating", "We are investigating.",
                List.of(new Component("object-storage", List.of("eu-west", "us-east"), "major_outage")));
    }

    private static Delivery delivery(UUID endpoint, UUID incidentId, Notice... notices) {
        return new Delivery(UUID.randomUUID(), WebhookChannel.NAME, endpoint, incidentId, 1, true,
                notices[notices.length - 1].occurredAt(), List.of(notices));
    }

    private static Map<String, List<String>> signatureHeaders(WebhookReceiver.Request request) {
        Map<String, List<String>> headers = new HashMap<>();
        for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature")) {
            headers.put(name, List.of(request.header(name)));
        }
        return headers;
    }

    private static JsonNode endpoint(UUID id) throws Exception {
        return new ObjectMapper().readTree(Api.admin().when().get("/api/webhooks/" + id).then().statusCode(200).extract().asString());
    }

    @Test
    void aGenericDeliveryIsASignedCloudEventOfTheNoticeWithTheDeliveryIdStableAcrossRetries() throws Exception {
        String path = "/generic/" + UUID.randomUUID();
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "generic", List.of(), null);
        UUID incidentId = UUID.randomUUID();
        Notice notice = opened(incidentId, "Storage down");
        Delivery delivery = delivery(endpoint.id(), incidentId, notice);

        Recorded recorded = send(delivery);

        assertThat(recorded.outcomes.get(delivery.id())).isEqualTo("sent");
        WebhookReceiver.Request request = receiver.requests(path).get(0);
        assertThat(request.header("webhook-id")).isEqualTo(delivery.id().toString());
        assertThat(Long.parseLong(request.header("webhook-timestamp"))).isCloseTo(Instant.now().getEpochSecond(),
                Offset.offset(30L));
        assertThat(request.header("content-type")).isEqualTo("application/cloudevents+json");
        new Webhook(endpoint.secret()).verify(request.body(), signatureHeaders(request));
        CloudEvent event = new JsonFormat().deserialize(request.body().getBytes(StandardCharsets.UTF_8));
        assertThat(event.getSpecVersion().toString()).isEqualTo("1.0");
        assertThat(event.getId()).isEqualTo(notice.eventId().toString());
        assertThat(event.getType()).isEqualTo("incident-opened");
        assertThat(event.getSource().toString()).isEqualTo("/notification-service");
        assertThat(event.getSubject()).isEqualTo(incidentId.toString());
        assertThat(event.getDataContentType()).isEqualTo("application/json");
        assertThat(mapper.readTree(event.getData().toBytes())).isEqualTo(mapper.readTree(notice.content()));
        assertThat(endpoint(endpoint.id()).path("lastSuccessAt").isNull()).isFalse();

        send(delivery);
        assertThat(receiver.requests(path)).hasSize(2).extracting(r -> r.header("webhook-id"))
                .containsOnly(delivery.id().toString());
    }

    @Test
    void duringARotationEachRequestCarriesASignatureUnderBothSecrets() throws Exception {
        String path = "/rotation/" + UUID.randomUUID();
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "generic", List.of(), null);
        String rotated = Webhooks.rotate(endpoint.id());
        UUID incidentId = UUID.randomUUID();

        send(delivery(endpoint.id(), incidentId, opened(incidentId, "Rotation")));

        WebhookReceiver.Request request = receiver.requests(path).get(0);
        assertThat(request.header("webhook-signature").split(" ")).hasSize(2);
        new Webhook(rotated).verify(request.body(), signatureHeaders(request));
        new Webhook(endpoint.secret()).verify(request.body(), signatureHeaders(request));
    }

    @Test
    void aSlackDeliveryIsBlockKitWithTheLatestStateEarlierUpdatesAndAButtonToTheIncident() throws Exception {
        String path = "/slack/" + UUID.randomUUID();
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "slack", List.of(), null);
        UUID incidentId = UUID.randomUUID();
        String title = "Storage <!channel> & <https://evil.example|click> down";
        Notice first = opened(incidentId, title);
        Notice update = incidentNotice(incidentId, 2, "update-posted", title, "identified", "Cause: a <b>bad</b> push",
                List.of(new Component("object-storage", List.of("eu-west"), "partial_outage"),
                        new Component("block-storage", List.of("global"), "degraded_performance")));

        send(delivery(endpoint.id(), incidentId, first, update));

        WebhookReceiver.Request request = receiver.requests(path).get(0);
        assertThat(request.header("content-type")).isEqualTo("application/json");
        new Webhook(endpoint.secret()).verify(request.body(), signatureHeaders(request));
        JsonNode message = mapper.readTree(request.body());
        assertThat(message.path("text").asText()).contains("Identified").contains("#" + incidentId.toString().substring(0, 8));
        JsonNode blocks = message.path("blocks");
        assertThat(blocks.get(0).path("type").asText()).isEqualTo("header");
        assertThat(blocks.get(0).path("text").path("type").asText()).isEqualTo("plain_text");
        assertThat(blocks.get(0).path("text").path("text").asText()).isEqualTo("[SEV1] " + title + " — Identified");
        List<String> types = new ArrayList<>();
        blocks.forEach(block -> types.add(block.path("type").asText()));
        assertThat(types).startsWith("header", "section").endsWith("context", "actions");
        String summary = blocks.get(1).path("text").path("text").asText();
        assertThat(summary).contains("*Status:* Identified").contains("Cause: a &lt;b&gt;bad&lt;/b&gt; push")
                .doesNotContain("<b>");
        JsonNode affected = blocks.get(2);
        assertThat(affected.path("text").path("text").asText()).isEqualTo("*Affected*");
        assertThat(affected.path("fields")).hasSize(2);
        assertThat(affected.path("fields").get(0).path("type").asText()).isEqualTo("mrkdwn");
        assertThat(affected.path("fields").get(0).path("text").asText()).isEqualTo("*object-storage*\nPartial outage — eu-west");
        assertThat(affected.path("fields").get(1).path("text").asText()).isEqualTo("*block-storage*\nDegraded performance — global");
        assertThat(blocks.get(3).path("text").path("text").asText()).startsWith("*Earlier updates*\n• ")
                .contains("Investigating: We are investigating.");
        assertThat(message.path("text").asText()).startsWith("[SEV1] Storage &lt;!channel&gt; &amp; &lt;https://evil.example|click&gt;");
        for (JsonNode block : blocks) {
            if (!block.path("type").asText().equals("header")) {
                assertThat(block.toString()).doesNotContain("<!channel>").doesNotContain("<https://evil.example|click>");
            }
        }
        JsonNode context = blocks.get(blocks.size() - 2);
        assertThat(context.path("elements").get(0).path("text").asText()).startsWith("Updated ");
        JsonNode button = blocks.get(blocks.size() - 1).path("elements").get(0);
        assertThat(button.path("type").asText()).isEqualTo("button");
        assertThat(button.path("text").path("text").asText()).isEqualTo("View incident");
        assertThat(button.path("url").asText()).isEqualTo("https://status.example.test/incidents/" + incidentId);
    }

    @Test
    void aTeamsDeliveryIsAnAdaptiveCardMessageWithAnOpenUrlAction() throws Exception {
        String path = "/teams/" + UUID.randomUUID();
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "teams", List.of(), null);
        UUID incidentId = UUID.randomUUID();

        send(delivery(endpoint.id(), incidentId, opened(incidentId, "Compute [degraded](https://evil.example)")));

        WebhookReceiver.Request request = receiver.requests(path).get(0);
        new Webhook(endpoint.secret()).verify(request.body(), signatureHeaders(request));
        JsonNode message = mapper.readTree(request.body());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("attachments")).hasSize(1);
        JsonNode attachment = message.path("attachments").get(0);
        assertThat(attachment.path("contentType").asText()).isEqualTo("application/vnd.microsoft.card.adaptive");
        JsonNode card = attachment.path("content");
        assertThat(card.path("type").asText()).isEqualTo("AdaptiveCard");
        assertThat(card.path("version").asText()).isEqualTo("1.4");
        JsonNode body = card.path("body");
        assertThat(body.get(0).path("type").asText()).isEqualTo("TextBlock");
        assertThat(body.get(0).path("text").asText()).isEqualTo("\\[SEV1\\] Compute \\[degraded\\]\\(https://evil.example\\) — Investigating");
        assertThat(body.get(1).path("type").asText()).isEqualTo("FactSet");
        assertThat(body.get(1).path("facts").get(0).path("title").asText()).isEqualTo("Status");
        assertThat(body.get(1).path("facts").get(0).path("value").asText()).isEqualTo("Investigating");
        List<String> facts = new ArrayList<>();
        body.forEach(element -> element.path("facts").forEach(fact -> facts.add(fact.path("title").asText() + "="
                + fact.path("value").asText())));
        assertThat(facts).contains("object-storage=Major outage — eu-west, us-east");
        JsonNode action = card.path("actions").get(0);
        assertThat(action.path("type").asText()).isEqualTo("Action.OpenUrl");
        assertThat(action.path("title").asText()).isEqualTo("View incident");
        assertThat(action.path("url").asText()).isEqualTo("https://status.example.test/incidents/" + incidentId);
    }

    @Test
    void aCreditNoticeShowsTheCreditAndLinksTheStatusPage() throws Exception {
        String path = "/credit/" + UUID.randomUUID();
        Webhooks.Created endpoint = Webhooks.create(Webhooks.body(receiver.url(path), "slack", List.of(Api.unique("credit-only")), List.of(), "acme",
                null));
        String credit = """
                {"eventId":"%s","occurredAt":"2024-08-01T09:00:00Z","creditId":"%s","customerId":"acme",
                 "service":"object-storage","billingMonth":"2024-07","incidentIds":["%s"],"downtimeMinutes":331,
                 "monthlyUptimePercent":99.2585,"creditPercent":10,"amount":{"amount":1250.00,"currency":"USD"},
                 "extensionDays":null,"policyId":"storage-99.9","policyVersion":1,"kind":"original",
                 "issuedAt":"2024-08-01T09:00:00Z"}""".formatted(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
        Notice notice = new Notice(UUID.randomUUID(), "credit-issued", Instant.parse("2024-08-01T09:00:00Z"), credit);

        send(new Delivery(UUID.randomUUID(), WebhookChannel.NAME, endpoint.id(), null, 1, true, notice.occurredAt(),
                List.of(notice)));

        JsonNode blocks = mapper.readTree(receiver.requests(path).get(0).body()).path("blocks");
        assertThat(blocks.get(0).path("text").path("text").asText())
                .isEqualTo("Service credit for object-storage, July 2024: 1250.00 USD");
        assertThat(blocks.get(1).path("text").path("text").asText()).contains("*Customer:* acme").contains("*Downtime:* 331 minutes");
        assertThat(blocks.get(blocks.size() - 1).path("elements").get(0).path("url").asText()).isEqualTo("https://status.example.test/");
    }

    @Test
    void answersClassifyAndA410DisablesTheEndpointAndMailsItsContactOnce() throws Exception {
        String contact = "owner@" + Api.unique("gone") + ".example.test";
        String gonePath = "/gone/" + UUID.randomUUID();
        receiver.answer(gonePath, Answer.status(410));
        Webhooks.Created gone = Webhooks.create(receiver.url(gonePath), "generic", List.of(), contact);
        Map<String, Answer> cases = Map.of("/429/" + UUID.randomUUID(), Answer.status(429).withHeader("Retry-After", "7"),
                "/503/" + UUID.randomUUID(), Answer.status(503).withHeader("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT"),
                "/400/" + UUID.randomUUID(), Answer.status(400).withBody("{\"error\":\"unknown channel\"}"),
                "/302/" + UUID.randomUUID(), Answer.status(302).withHeader("Location", "http://127.0.0.1:1/elsewhere"),
                "/slow/" + UUID.randomUUID(), Answer.status(204).after(Duration.ofSeconds(4)));
        Map<String, Delivery> deliveries = new HashMap<>();
        UUID incidentId = UUID.randomUUID();
        for (Map.Entry<String, Answer> c : cases.entrySet()) {
            receiver.answer(c.getKey(), c.getValue());
            UUID id = Webhooks.create(receiver.url(c.getKey()), "generic", List.of(), null).id();
            deliveries.put(c.getKey().split("/")[1], delivery(id, incidentId, opened(incidentId, "Classified")));
        }
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        UUID refusing = Webhooks.create("http://127.0.0.1:" + closedPort + "/nobody", "generic", List.of(), null).id();
        Delivery toGone = delivery(gone.id(), incidentId, opened(incidentId, "Gone"));
        Delivery toNobody = delivery(refusing, incidentId, opened(incidentId, "Refused"));
        Delivery toUnknown = delivery(UUID.randomUUID(), incidentId, opened(incidentId, "Unknown"));
        List<Delivery> batch = new ArrayList<>(deliveries.values());
        batch.addAll(List.of(toGone, toNobody, toUnknown));

        long started = System.nanoTime();
        Recorded recorded = send(batch.toArray(Delivery[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(recorded.failure(deliveries.get("429")).kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(recorded.failure(deliveries.get("429")).retryAfter()).contains(Duration.ofSeconds(7));
        assertThat(recorded.failure(deliveries.get("503")).kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(recorded.failure(deliveries.get("503")).retryAfter()).contains(Duration.ZERO);
        assertThat(recorded.failure(deliveries.get("400")).kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(recorded.failure(deliveries.get("400")).reason()).isEqualTo("HTTP 400: {\"error\":\"unknown channel\"}");
        assertThat(recorded.failure(deliveries.get("302")).kind()).isEqualTo(Failure.Kind.PERMANENT);
        assertThat(recorded.failure(deliveries.get("slow")).kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(recorded.failure(deliveries.get("slow")).reason()).contains("no answer within PT2S");
        assertThat(recorded.failure(toNobody).kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(recorded.failure(toNobody).reason()).startsWith("could not connect");
        assertThat(recorded.failure(toUnknown).kind()).isEqualTo(Failure.Kind.RECIPIENT_GONE);
        assertThat(recorded.failure(toGone).kind()).isEqualTo(Failure.Kind.RECIPIENT_GONE);
        assertThat(took).as("the batch went out concurrently: the slow endpoint did not hold the others")
                .isLessThan(Duration.ofSeconds(8));
        assertThat(receiver.requests(cases.keySet().stream().filter(p -> p.startsWith("/302/")).findFirst().orElseThrow()))
                .hasSize(1);

        JsonNode disabled = endpoint(gone.id());
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("disabledReason").asText()).contains("HTTP 410");
        assertThat(disabled.path("disabledAt").isNull()).isFalse();
        Mails.Received mail = Mails.awaitTo(contact, 1).get(0);
        assertThat(mail.subject()).isEqualTo("Webhook disabled: 127.0.0.1");
        assertThat(mail.text()).contains(gone.id().toString()).contains("HTTP 410").doesNotContain(gonePath);
        Awaitility.await().atMost(WAIT).until(() -> !endpoint(gone.id()).path("contactNotifiedAt").isNull());

        Delivery again = delivery(gone.id(), incidentId, opened(incidentId, "Gone again"));
        assertThat(send(again).failure(again).reason()).isEqualTo("the webhook endpoint is disabled");
        // Mailed once: no sweep has anything left to send.
        assertThat(contactNoticeDue(gone.id())).isFalse();
        assertThat(Mails.to(contact)).hasSize(1);
    }

    @Test
    void anEndpointFailingForTheFailingPeriodIsDisabledItsContactMailedOnceAndReEnablingClearsIt() throws Exception {
        String contact = "failing@" + Api.unique("failing") + ".example.test";
        String path = "/failing/" + UUID.randomUUID();
        receiver.answer(path, Answer.status(500));
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "generic", List.of(), contact);
        UUID incidentId = UUID.randomUUID();

        Delivery first = delivery(endpoint.id(), incidentId, opened(incidentId, "Failing"));
        assertThat(send(first).failure(first).kind()).isEqualTo(Failure.Kind.TRANSIENT);
        JsonNode failing = endpoint(endpoint.id());
        assertThat(failing.path("enabled").asBoolean()).isTrue();
        String failingSince = failing.path("failingSince").asText();
        assertThat(failingSince).isNotEmpty();
        assertThat(failing.path("lastFailure").asText()).isEqualTo("HTTP 500");
        Delivery second = delivery(endpoint.id(), incidentId, opened(incidentId, "Still failing"));
        assertThat(send(second).failure(second).kind()).isEqualTo(Failure.Kind.TRANSIENT);
        assertThat(endpoint(endpoint.id()).path("failingSince").asText()).as("set at the first failure").isEqualTo(failingSince);

        Instant periodOver = Instant.parse(failingSince).plusSeconds(3);
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(50)).until(() -> Instant.now().isAfter(periodOver));
        Delivery third = delivery(endpoint.id(), incidentId, opened(incidentId, "Failing too long"));
        Failure disabling = send(third).failure(third);

        assertThat(disabling.kind()).isEqualTo(Failure.Kind.RECIPIENT_GONE);
        assertThat(disabling.reason()).contains("no successful delivery for PT3S");
        JsonNode disabled = endpoint(endpoint.id());
        assertThat(disabled.path("enabled").asBoolean()).isFalse();
        assertThat(disabled.path("disabledReason").asText()).startsWith("no successful delivery since").contains("HTTP 500");
        Mails.Received mail = Mails.awaitTo(contact, 1).get(0);
        assertThat(mail.text()).contains("no successful delivery since").contains("\"enabled\": true");
        Awaitility.await().atMost(WAIT).until(() -> !endpoint(endpoint.id()).path("contactNotifiedAt").isNull());
        Delivery whileDisabled = delivery(endpoint.id(), incidentId, opened(incidentId, "Still disabled"));
        assertThat(send(whileDisabled).failure(whileDisabled).reason()).isEqualTo("the webhook endpoint is disabled");
        assertThat(contactNoticeDue(endpoint.id())).as("mailed once: nothing left to send").isFalse();
        assertThat(Mails.to(contact)).hasSize(1);

        receiver.answer(path, Answer.status(200));
        Api.admin().contentType("application/json").header("If-Match", "\"" + disabled.path("version").asLong() + "\"")
                .body(Map.of("url", receiver.url(path), "format", "generic", "contact", contact, "enabled", true))
                .when().put("/api/webhooks/" + endpoint.id())
                .then().statusCode(200).body("enabled", equalTo(true)).body("disabledAt", nullValue())
                .body("disabledReason", nullValue()).body("failingSince", nullValue()).body("contactNotifiedAt", nullValue());
        Delivery afterFix = delivery(endpoint.id(), incidentId, opened(incidentId, "Recovered"));
        assertThat(send(afterFix).outcomes.get(afterFix.id())).isEqualTo("sent");
    }

    @Test
    void aSuccessEndsTheFailingPeriod() throws Exception {
        String path = "/flaky/" + UUID.randomUUID();
        receiver.answer(path, Answer.status(502));
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "generic", List.of(), null);
        UUID incidentId = UUID.randomUUID();
        send(delivery(endpoint.id(), incidentId, opened(incidentId, "Flaky")));
        assertThat(endpoint(endpoint.id()).path("failingSince").isNull()).isFalse();

        receiver.answer(path, Answer.status(202));
        send(delivery(endpoint.id(), incidentId, opened(incidentId, "Fine")));

        Api.admin().when().get("/api/webhooks/" + endpoint.id()).then().statusCode(200).body("failingSince", nullValue())
                .body("lastSuccessAt", notNullValue()).body("enabled", equalTo(true));
    }

    @Test
    void aContactMailThatFailsIsTriedAgainBySweeps() throws Exception {
        String contact = "owner@" + RecipientRoutingTransport.REJECTED_DOMAIN;
        String path = "/gone-rejected/" + UUID.randomUUID();
        receiver.answer(path, Answer.status(410));
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "slack", List.of(), contact);
        UUID incidentId = UUID.randomUUID();

        send(delivery(endpoint.id(), incidentId, opened(incidentId, "Gone")));

        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> contactNoticeAttempts(endpoint.id()) >= 2);
        assertThat(endpoint(endpoint.id()).path("contactNotifiedAt").isNull()).isTrue();
        assertThat(contactNoticeLastError(endpoint.id())).contains("550");
    }

    @Test
    void aUrlThatNowLeadsToAPrivateAddressIsRefusedAtSendTime() throws Exception {
        List<String> urls = List.of("https://10.0.0.1/hook", "https://169.254.169.254/latest", "https://[::ffff:192.168.0.1]/x",
                "https://[fe80::1]/x");
        UUID incidentId = UUID.randomUUID();
        List<Delivery> batch = new ArrayList<>();
        for (String url : urls) {
            UUID id = Webhooks.create(receiver.url("/rebound/" + UUID.randomUUID()), "generic", List.of(), null).id();
            // As a changed DNS answer would: the stored name now leads inward.
            execute("UPDATE webhook_endpoint SET url = ? WHERE id = ?", url, id);
            batch.add(delivery(id, incidentId, opened(incidentId, "Rebound")));
        }

        Recorded recorded = send(batch.toArray(Delivery[]::new));

        for (Delivery delivery : batch) {
            Failure failure = recorded.failure(delivery);
            assertThat(failure.kind()).isEqualTo(Failure.Kind.PERMANENT);
            assertThat(failure.reason()).startsWith("refused: ").contains("webhooks are sent only to public addresses");
        }
        assertThat(recorded.failure(batch.get(2)).reason()).contains("192.168.0.1, which is a private address");
    }

    @Test
    void requestsToOneHostAreBoundedAndABatchGoesOutConcurrently() throws Exception {
        String path = "/busy/" + UUID.randomUUID();
        receiver.answer(path, Answer.status(204).after(Duration.ofMillis(600)));
        Webhooks.Created endpoint = Webhooks.create(receiver.url(path), "generic", List.of(), null);
        UUID incidentId = UUID.randomUUID();
        List<Delivery> batch = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            batch.add(delivery(endpoint.id(), incidentId, opened(incidentId, "Busy " + i)));
        }

        long started = System.nanoTime();
        Recorded recorded = send(batch.toArray(Delivery[]::new));
        Duration took = Duration.ofNanos(System.nanoTime() - started);

        assertThat(recorded.outcomes.values()).containsOnly("sent");
        assertThat(receiver.requests(path)).hasSize(16);
        assertThat(receiver.mostInFlight(path)).isBetween(2, 8);
        assertThat(took).isLessThan(Duration.ofMillis(16 * 600 / 2));
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private int contactNoticeAttempts(UUID id) throws SQLException {
        return Integer.parseInt(column(id, "contact_notice_attempts"));
    }

    private boolean contactNoticeDue(UUID id) throws SQLException {
        return "t".equals(column(id, "contact_notice_due"));
    }

    private String contactNoticeLastError(UUID id) throws SQLException {
        return column(id, "contact_notice_last_error");
    }

    private String column(UUID id, String column) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT " + column + " FROM webhook_endpoint WHERE id = ?")) {
            query.setObject(1, id);
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getString(1);
            }
        }
    }
}

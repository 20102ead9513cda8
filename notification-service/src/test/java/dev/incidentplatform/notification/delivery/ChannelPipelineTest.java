package dev.incidentplatform.notification.delivery;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.channel.Failure;
import dev.incidentplatform.notification.channel.Notice;
import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.RecordingChannel;
import dev.incidentplatform.notification.support.RecordingChannel.Attempt;
import dev.incidentplatform.notification.support.TestEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;

/**
 * The pipeline is the same for every channel: a second channel (the test-only {@link RecordingChannel}, whose
 * recipients the {@code recipient} view includes) gets exactly one delivery per event and recipient, beside email;
 * rapid updates are coalesced; failures are retried with backoff and never before the other side's retryAfter, or end
 * as their kind says; a recipient who leaves is cancelled; a thread's deliveries leave one at a time, in order; a live
 * instance keeps its leases through a long send, and a dead instance's rows are taken over within seconds.
 */
@QuarkusTest
class ChannelPipelineTest {

    private static final Duration PATIENCE = Mails.TIMEOUT;

    @Inject
    DataSource dataSource;

    @Inject
    RecordingChannel channel;

    private final List<UUID> recipients = new ArrayList<>();

    @AfterEach
    void removeRecipients() throws SQLException {
        // Gone before other tests' incidents: an empty filter would hear about them all.
        execute("DELETE FROM test_channel_recipient WHERE id = ANY (?)", (Object) recipients.toArray(UUID[]::new));
    }

    @Test
    void aSecondChannelGetsEachEventOncePerRecipientBesideEmailEvenWhenTheEventComesTwice() throws SQLException {
        String service = Api.unique("multi");
        String address = "both@" + Api.unique("multi") + ".example.test";
        UUID subscriber = Api.createSubscriber(address, List.of(service), List.of());
        // The same id on another channel is another recipient: one delivery each.
        UUID sameId = recipient(subscriber, service);
        UUID other = recipient(UUID.randomUUID(), service);
        UUID incidentId = UUID.randomUUID();
        Map<String, Object> opened = TestEvents.incidentOpened(incidentId, "Two channels", "SEV2",
                List.of(component(service, "major_outage", "global")));

        TestEvents.publish(opened);
        TestEvents.publish(opened);
        Mails.awaitTo(address, 1);
        awaitAttempts(sameId, 1);
        awaitAttempts(other, 1);
        // A later event of the same incident is consumed after the duplicate: once it is out, the duplicate was handled.
        Map<String, Object> resolved = TestEvents.updatePosted(incidentId, 2, "resolved", "Fixed.",
                List.of(component(service, "operational", "global")));
        TestEvents.publish(resolved);
        Mails.awaitTo(address, 2);
        awaitAttempts(sameId, 2);
        awaitAttempts(other, 2);

        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats").then()
                        .statusCode(200)
                        .body("channels.email.sent", equalTo(2)).body("channels.email.total", equalTo(2))
                        .body("channels.recording.sent", equalTo(4)).body("channels.recording.total", equalTo(4)));
        for (UUID recipient : List.of(sameId, other)) {
            List<Attempt> attempts = channel.attempts(recipient);
            assertThat(attempts).hasSize(2);
            assertThat(attempts.get(0).delivery().notices()).extracting(Notice::eventId)
                    .containsExactly(UUID.fromString((String) opened.get("eventId")));
            assertThat(attempts.get(0).delivery().opensThread()).isTrue();
            assertThat(attempts.get(1).delivery().notices()).extracting(Notice::eventId)
                    .containsExactly(UUID.fromString((String) resolved.get("eventId")));
            assertThat(attempts.get(1).delivery().opensThread()).isFalse();
            assertThat(attempts).allSatisfy(a -> assertThat(a.delivery().channel()).isEqualTo(RecordingChannel.NAME));
        }
        JsonPath log = Api.admin().queryParam("recipientId", subscriber.toString()).queryParam("channel", "recording")
                .when().get("/api/deliveries").then().statusCode(200).body("totalItems", equalTo(2)).extract().jsonPath();
        assertThat(log.getList("items.channel", String.class)).containsOnly("recording");
        assertThat(log.getList("items.recipientId", String.class)).containsOnly(subscriber.toString());
        Api.admin().queryParam("recipientId", subscriber.toString()).queryParam("channel", "email")
                .when().get("/api/deliveries").then().statusCode(200).body("totalItems", equalTo(2))
                .body("items[0].channel", equalTo("email"));
        assertThat(Mails.to(address)).hasSize(2);
    }

    @Test
    void updatesArrivingWhileASendWaitsForItsRetryAfterGoOutAsOneDeliveryOfTheLatestNotAnyEarlier() {
        String service = Api.unique("flood");
        UUID recipient = recipient(UUID.randomUUID(), service);
        Duration retryAfter = Duration.ofSeconds(2);
        // The first send answers only once both updates wait behind it, so the retry finds them however slow the
        // machine is; it then asks for retryAfter, and the retry carries all three notices.
        CountDownLatch updatesPending = new CountDownLatch(1);
        channel.script(recipient, (delivery, attempt) -> {
            if (attempt > 1) {
                return null;
            }
            updatesPending.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            return Failure.transientFailure("503 Busy", retryAfter);
        });
        UUID incidentId = UUID.randomUUID();
        List<TestEvents.Comp> components = List.of(component(service, "major_outage", "global"));
        Map<String, Object> opened = TestEvents.incidentOpened(incidentId, "Flood", "SEV2", components);
        TestEvents.publish(opened);
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> sending(recipient));
        Map<String, Object> two = TestEvents.updatePosted(incidentId, 2, "identified", "Update one", components);
        Map<String, Object> three = TestEvents.updatePosted(incidentId, 3, "monitoring", "Update two", components);
        TestEvents.publish(two);
        TestEvents.publish(three);
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats").then()
                        .body("channels.recording.total", equalTo(3)).body("channels.recording.pending", equalTo(2)));
        updatesPending.countDown();

        Attempt retry = awaitAttempts(recipient, 2).get(1);
        Attempt first = channel.attempts(recipient).get(0);
        assertThat(Duration.between(first.answeredAt(), retry.startedAt())).as("the retry waited for retryAfter")
                .isGreaterThanOrEqualTo(retryAfter.minusMillis(50));
        assertThat(retry.delivery().notices()).extracting(Notice::eventId).containsExactly(eventId(opened), eventId(two),
                eventId(three));
        assertThat(retry.delivery().latest().eventId()).isEqualTo(eventId(three));
        assertThat(retry.delivery().opensThread()).isTrue();
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats").then()
                        .body("channels.recording.sent", equalTo(1)).body("channels.recording.coalesced", equalTo(2)));
        // The delivery that went out is the latest notice's row; the others name it as the one that carried them.
        JsonPath log = Api.admin().queryParam("incidentId", incidentId.toString()).queryParam("status", "sent")
                .when().get("/api/deliveries").then().extract().jsonPath();
        assertThat(log.getString("items[0].id")).isEqualTo(retry.delivery().id().toString());
        assertThat(log.getString("items[0].eventId")).isEqualTo(eventId(three).toString());
        assertThat(log.getInt("items[0].attempts")).isEqualTo(1);
        Api.admin().queryParam("incidentId", incidentId.toString()).queryParam("status", "coalesced")
                .when().get("/api/deliveries").then().body("totalItems", equalTo(2))
                .body("items.coveredBy", everyItem(equalTo(retry.delivery().id().toString())));
        assertThat(channel.attempts(recipient)).hasSize(2);
    }

    @Test
    void failuresAreRetriedWithGrowingBackoffNeverBeforeRetryAfterOrEndAsTheirKindSays() {
        String service = Api.unique("failing");
        UUID flaky = recipient(UUID.randomUUID(), service);
        UUID refusing = recipient(UUID.randomUUID(), service);
        UUID gone = recipient(UUID.randomUUID(), service);
        UUID tooPatient = recipient(UUID.randomUUID(), service);
        channel.script(flaky, (delivery, attempt) -> switch (attempt) {
            case 1, 2 -> Failure.transientFailure("HTTP 502 Bad Gateway");
            case 3 -> Failure.transientFailure("HTTP 429 Too Many Requests", Duration.ofMillis(1500));
            default -> null;
        });
        channel.script(refusing, (delivery, attempt) -> Failure.permanent("HTTP 400 Bad Request"));
        channel.script(gone, (delivery, attempt) -> Failure.recipientGone("HTTP 410 Gone"));
        channel.script(tooPatient, (delivery, attempt) -> Failure.transientFailure("HTTP 503", Duration.ofHours(2)));
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Failures", "SEV3",
                List.of(component(service, "partial_outage", "global"))));

        List<Attempt> attempts = awaitAttempts(flaky, 4);
        // Test backoff: base 0.2 s, so at least 0.1 s after the first failure and 0.2 s after the second.
        assertThat(gap(attempts, 0)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        assertThat(gap(attempts, 1)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(gap(attempts, 2)).as("retryAfter").isGreaterThanOrEqualTo(Duration.ofMillis(1450));
        assertThat(attempts).extracting(a -> a.delivery().attempts()).containsExactly(1, 2, 3, 4);
        assertThat(attempts).extracting(a -> a.delivery().id()).containsOnly(attempts.get(0).delivery().id());
        awaitDelivery(flaky, "sent", 4, null);
        awaitDelivery(refusing, "failed", 1, "HTTP 400 Bad Request");
        awaitDelivery(gone, "cancelled", 1, "HTTP 410 Gone");
        awaitDelivery(tooPatient, "failed", 1, "longer than the PT1H a notice may wait");
        assertThat(channel.attempts(refusing)).hasSize(1);
        assertThat(channel.attempts(gone)).hasSize(1);
        assertThat(channel.attempts(tooPatient)).hasSize(1);
    }

    @Test
    void whatAChannelThatThrowsLeftUnreportedIsRetried() {
        String service = Api.unique("breaking");
        UUID breaking = recipient(UUID.randomUUID(), service);
        UUID bystander = recipient(UUID.randomUUID(), service);
        channel.script(breaking, (delivery, attempt) -> {
            if (attempt == 1) {
                throw new IllegalStateException("the channel broke");
            }
            return null;
        });
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Breaking", "SEV3",
                List.of(component(service, "partial_outage", "global"))));

        awaitDelivery(breaking, "sent", 2, null);
        assertThat(channel.attempts(breaking)).hasSize(2);
        // Sent before the exception, or handed back unattempted by it and sent by the retry: once either way.
        Awaitility.await().atMost(PATIENCE).until(() -> channel.attempts(bystander).size() == 1);
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("recipientId", bystander.toString()).queryParam("channel", "recording")
                        .when().get("/api/deliveries").then().body("items[0].status", equalTo("sent")));
        assertThat(channel.attempts(bystander)).hasSize(1);
    }

    @Test
    void aRecipientWhoLeavesIsCancelledAtTheNextClaimAndASendThatFailsAfterTheyLeftIsNotRetried() throws Exception {
        String waitingService = Api.unique("leaving");
        String sendingService = Api.unique("leaving");
        UUID leavesWhileWaiting = recipient(UUID.randomUUID(), waitingService);
        UUID leavesMidSend = recipient(UUID.randomUUID(), sendingService);
        CountDownLatch left = new CountDownLatch(1);
        channel.script(leavesWhileWaiting, (delivery, attempt) -> Failure.transientFailure("HTTP 503", Duration.ofSeconds(2)));
        channel.script(leavesMidSend, (delivery, attempt) -> {
            left.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            return Failure.transientFailure("HTTP 504 Gateway Timeout");
        });
        // Two incidents, so that the send that blocks holds up one sender thread and not the other delivery.
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Leaving mid-send", "SEV3",
                List.of(component(sendingService, "partial_outage", "global"))));
        awaitDelivery(leavesMidSend, "sending", 1, null);
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Leaving while waiting", "SEV3",
                List.of(component(waitingService, "partial_outage", "global"))));
        awaitDelivery(leavesWhileWaiting, "pending", 1, "HTTP 503");

        execute("UPDATE test_channel_recipient SET active = false WHERE id = ANY (?)",
                (Object) new UUID[] { leavesWhileWaiting, leavesMidSend });
        left.countDown();

        awaitDelivery(leavesWhileWaiting, "cancelled", 1, DeliveryStore.RECIPIENT_LEFT);
        awaitDelivery(leavesMidSend, "cancelled", 1, "HTTP 504 Gateway Timeout");
        // And they stay at one attempt each: nothing is retried for someone who left.
        Awaitility.await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100))
                .until(() -> channel.attempts(leavesWhileWaiting).size() == 1 && channel.attempts(leavesMidSend).size() == 1);
    }

    @Test
    void aThreadsDeliveriesLeaveOneAtATimeInOrderAndAReviewGoesAlone() {
        String service = Api.unique("ordered");
        UUID recipient = recipient(UUID.randomUUID(), service);
        CountDownLatch laterNoticesArrived = new CountDownLatch(1);
        channel.script(recipient, (delivery, attempt) -> {
            if (attempt == 1) {
                laterNoticesArrived.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            }
            return null;
        });
        UUID incidentId = UUID.randomUUID();
        List<TestEvents.Comp> components = List.of(component(service, "major_outage", "global"));
        Map<String, Object> opened = TestEvents.incidentOpened(incidentId, "Ordered", "SEV2", components);
        Map<String, Object> resolved = TestEvents.updatePosted(incidentId, 2, "resolved", "Fixed.",
                List.of(component(service, "operational", "global")));
        Map<String, Object> review = TestEvents.reviewPublished(incidentId, 3, "A bad push.");
        TestEvents.publish(opened);
        Awaitility.await().atMost(PATIENCE).until(() -> !channel.attempts(recipient).isEmpty() || sending(recipient));
        TestEvents.publish(resolved);
        TestEvents.publish(review);
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats").then()
                        .body("channels.recording.total", equalTo(3)).body("channels.recording.pending", equalTo(2)));
        laterNoticesArrived.countDown();

        List<Attempt> attempts = awaitAttempts(recipient, 3);
        assertThat(attempts).extracting(a -> a.delivery().latest().eventId()).containsExactly(eventId(opened),
                eventId(resolved), eventId(review));
        assertThat(attempts.get(2).delivery().notices()).hasSize(1);
        for (int i = 1; i < attempts.size(); i++) {
            assertThat(attempts.get(i).startedAt()).as("attempt %d starts after %d was answered", i + 1, i)
                    .isAfterOrEqualTo(attempts.get(i - 1).answeredAt());
        }
        assertThat(attempts).extracting(a -> a.delivery().opensThread()).containsExactly(true, false, false);
    }

    @Test
    void aLiveInstanceKeepsItsLeaseThroughASendLongerThanTheLease() throws Exception {
        String service = Api.unique("slow");
        UUID recipient = recipient(UUID.randomUUID(), service);
        CountDownLatch released = new CountDownLatch(1);
        channel.script(recipient, (delivery, attempt) -> {
            released.await(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            return null;
        });
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Slow", "SEV3",
                List.of(component(service, "partial_outage", "global"))));
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50)).until(() -> sending(recipient));
        Instant firstLease = leaseUntil(recipient);
        String owner = claimedBy(recipient);

        // Longer than the lease (5 s): without the heartbeat the sweep would hand the row to another sender.
        Awaitility.await().during(Duration.ofSeconds(7)).atMost(Duration.ofSeconds(9)).pollInterval(Duration.ofMillis(200))
                .until(() -> sending(recipient) && owner.equals(claimedBy(recipient)));
        assertThat(leaseUntil(recipient)).isAfter(firstLease.plusSeconds(5));
        released.countDown();

        awaitDelivery(recipient, "sent", 1, null);
        assertThat(channel.attempts(recipient)).hasSize(1);
    }

    @Test
    void theRowsOfAnInstanceThatDiedMidSendArePendingAgainAndSentWithinSeconds() throws SQLException {
        UUID recipient = recipient(UUID.randomUUID(), Api.unique("orphan"));
        UUID eventId = UUID.randomUUID();
        execute("INSERT INTO inbox (event_id, event_type, topic, partition, \"offset\") VALUES (?, 'credit-issued', 'test', 0, 0)",
                eventId);
        execute("""
                INSERT INTO notice (event_id, event_type, occurred_at, content, recipients)
                VALUES (?, 'credit-issued', now(), '{}', 1)""", eventId);
        execute("""
                INSERT INTO delivery (event_id, recipient_id, channel, status, attempts, claimed_by, lease_until)
                VALUES (?, ?, 'recording', 'sending', 1, 'dead-host/00000000#0', now() - interval '1 second')""",
                eventId, recipient);
        long start = System.nanoTime();

        // The bound the delivery pipeline promises for a dead sender's rows (a lease of 5 s, swept every second), with
        // room for a loaded machine.
        Attempt attempt = Awaitility.await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> channel.attempts(recipient), a -> !a.isEmpty()).get(0);
        Duration takeover = Duration.ofNanos(System.nanoTime() - start);
        assertThat(takeover).isLessThan(Duration.ofSeconds(10));
        assertThat(attempt.delivery().attempts()).isEqualTo(2);
        awaitDelivery(recipient, "sent", 2, null);
        assertThat(claimedBy(recipient)).doesNotStartWith("dead-host");
    }

    private UUID recipient(UUID id, String service) {
        try {
            execute("INSERT INTO test_channel_recipient (id, services) VALUES (?, ?)", id, new String[] { service });
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        recipients.add(id);
        return id;
    }

    private List<Attempt> awaitAttempts(UUID recipient, int count) {
        return Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(50))
                .until(() -> channel.attempts(recipient), attempts -> attempts.size() >= count);
    }

    private static void awaitDelivery(UUID recipient, String status, int attempts, String lastError) {
        Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            JsonPath log = Api.admin().queryParam("recipientId", recipient.toString()).queryParam("channel", "recording")
                    .when().get("/api/deliveries").then().statusCode(200).extract().jsonPath();
            assertThat(log.getInt("totalItems")).isEqualTo(1);
            assertThat(log.getString("items[0].status")).isEqualTo(status);
            assertThat(log.getInt("items[0].attempts")).isEqualTo(attempts);
            if (lastError != null) {
                assertThat(log.getString("items[0].lastError")).contains(lastError);
            }
        });
    }

    private static Duration gap(List<Attempt> attempts, int after) {
        return Duration.between(attempts.get(after).answeredAt(), attempts.get(after + 1).startedAt());
    }

    private static UUID eventId(Map<String, Object> event) {
        return UUID.fromString((String) event.get("eventId"));
    }

    private boolean sending(UUID recipient) throws SQLException {
        return "sending".equals(column(recipient, "status"));
    }

    private String claimedBy(UUID recipient) throws SQLException {
        return column(recipient, "claimed_by");
    }

    private Instant leaseUntil(UUID recipient) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT lease_until FROM delivery WHERE recipient_id = ? AND channel = 'recording'")) {
            query.setObject(1, recipient);
            try (ResultSet row = query.executeQuery()) {
                assertThat(row.next()).isTrue();
                Timestamp lease = row.getTimestamp(1);
                return lease == null ? null : lease.toInstant();
            }
        }
    }

    private String column(UUID recipient, String column) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT " + column + " FROM delivery WHERE recipient_id = ? AND channel = 'recording'")) {
            query.setObject(1, recipient);
            try (ResultSet row = query.executeQuery()) {
                return row.next() ? row.getString(1) : null;
            }
        }
    }

    private void execute(String sql, Object... parameters) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                Object value = parameters[i];
                if (value instanceof UUID[] ids) {
                    statement.setArray(i + 1, connection.createArrayOf("uuid", ids));
                } else if (value instanceof String[] texts) {
                    statement.setArray(i + 1, connection.createArrayOf("text", texts));
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            statement.executeUpdate();
        }
    }
}

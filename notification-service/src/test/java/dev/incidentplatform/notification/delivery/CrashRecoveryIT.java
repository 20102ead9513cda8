package dev.incidentplatform.notification.delivery;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.PackagedService;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.MailServer;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;
import dev.incidentplatform.testsupport.TestTokens;

/**
 * Two instances of the packaged service share one database and consumer group and send a fan-out together. Mid-way
 * the first is killed (SIGKILL): the rows it held (claimed, being sent, or sent with the outcome not yet recorded) stop
 * being renewed by its heartbeat, the second instance's sweep makes them pending once their short lease ran out, and
 * the second sends them, all within 10 s of the kill. Every recipient gets the notice, and only rows the killed
 * instance held may arrive twice: at most its sends in flight (one per sender thread) plus its unrecorded outcomes
 * (at most twice notification.senders.outcome-batch-size).
 */
class CrashRecoveryIT {

    private static final int RECIPIENTS = 2000;
    private static final int SENDERS = 3;
    private static final int OUTCOME_BATCH = 20;
    private static final int REPEAT_BOUND = SENDERS + 2 * OUTCOME_BATCH;
    private static final Duration TAKEOVER_BOUND = Duration.ofSeconds(10);

    private ServiceProcess first;
    private ServiceProcess second;

    @AfterEach
    void stop() {
        if (first != null) {
            first.close();
        }
        if (second != null) {
            second.close();
        }
    }

    @Test
    void aKilledInstancesRowsAreSentByTheOtherWithinSecondsAndOnlyTheyMayRepeat() throws Exception {
        Map<String, String> config = PackagedService.config("notification_crash");
        config.put("notification.senders.pool-size", Integer.toString(SENDERS));
        config.put("notification.senders.outcome-batch-size", Integer.toString(OUTCOME_BATCH));
        config.put("notification.mail.send-timeout", "PT5S");
        first = ServiceProcess.of("notification-service-first", config).start();
        second = ServiceProcess.of("notification-service-second", config).start();

        String domain = "crash-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        String service = "crash-" + UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("email,name,customerId,services,regions\n");
        for (int i = 0; i < RECIPIENTS; i++) {
            csv.append("r").append(i).append('@').append(domain).append(",,,").append(service).append(",\n");
        }
        given().baseUri(first.baseUri().toString()).auth().oauth2(TestTokens.forRoles("it", "subscriber-admin"))
                .contentType(Api.CSV).body(csv.toString()).when().post("/api/subscribers/import")
                .then().statusCode(200);

        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Crash test", "SEV1",
                List.of(component(service, "major_outage", "global"))));

        MailServer mail = TestInfrastructure.mail();
        Predicate<MimeMessage> ours = message -> recipient(message).endsWith("@" + domain);
        mail.awaitMessages(RECIPIENTS / 10, Mails.TIMEOUT, ours);
        // claimed_by is "{pid}@{host}/{instance}#{thread}".
        String killedOwners = first.pid() + "@%";
        first.kill();
        long killedAt = System.nanoTime();
        long receivedAtKill = mail.receivedMessages().stream().filter(ours).count();
        assertThat(receivedAtKill).as("the kill came while the fan-out was being sent").isLessThan(RECIPIENTS);

        Set<String> held = heldBy(config, killedOwners);
        assertThat(held).as("rows the killed instance held").isNotEmpty();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50))
                .until(() -> sentOf(config, held) == held.size());
        Duration takeover = Duration.ofNanos(System.nanoTime() - killedAt);
        System.out.printf("CrashRecoveryIT: the %d rows the killed instance held were all sent %.2f s after the SIGKILL%n",
                held.size(), takeover.toMillis() / 1000.0);
        assertThat(takeover).as("from the kill to the last of its rows sent").isLessThanOrEqualTo(TAKEOVER_BOUND);

        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> countByRecipient(mail, ours).size() == RECIPIENTS);
        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> count(config, "SELECT count(*) FROM delivery WHERE status = 'sent'") == RECIPIENTS);

        Map<String, Integer> received = countByRecipient(mail, ours);
        Set<String> repeated = new HashSet<>();
        received.forEach((address, times) -> {
            if (times > 1) {
                repeated.add(address);
            }
        });
        int repeats = received.values().stream().mapToInt(n -> n - 1).sum();
        System.out.printf("CrashRecoveryIT: %d of %d recipients got the notice twice (bound %d)%n", repeats, RECIPIENTS,
                REPEAT_BOUND);
        assertThat(held).as("only rows the killed instance held were sent twice").containsAll(repeated);
        assertThat(repeats).as("sends repeated after the kill").isLessThanOrEqualTo(REPEAT_BOUND);
        assertThat(received.values()).allSatisfy(times -> assertThat(times).isLessThanOrEqualTo(2));
        assertThat(count(config, "SELECT count(*) FROM delivery")).isEqualTo(RECIPIENTS);
        // Both instances sent part of it: the rows were shared, and the survivor took over.
        assertThat(count(config, "SELECT count(DISTINCT split_part(claimed_by, '#', 1)) FROM delivery WHERE status = 'sent'"))
                .isEqualTo(2);
    }

    /** The addresses of the rows owners matching {@code owners} (a LIKE pattern) held: claimed and not recorded. */
    private static Set<String> heldBy(Map<String, String> config, String owners) throws SQLException {
        try (Connection connection = connect(config); PreparedStatement query = connection.prepareStatement("""
                SELECT s.email FROM delivery d JOIN subscriber s ON s.id = d.recipient_id
                WHERE d.status = 'sending' AND d.claimed_by LIKE ?""")) {
            query.setString(1, owners);
            Set<String> addresses = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    addresses.add(rows.getString(1));
                }
            }
            return addresses;
        }
    }

    private static long sentOf(Map<String, String> config, Set<String> addresses) throws SQLException {
        try (Connection connection = connect(config); PreparedStatement query = connection.prepareStatement("""
                SELECT count(*) FROM delivery d JOIN subscriber s ON s.id = d.recipient_id
                WHERE d.status = 'sent' AND s.email = ANY (?)""")) {
            query.setArray(1, connection.createArrayOf("text", addresses.toArray()));
            try (ResultSet row = query.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static Map<String, Integer> countByRecipient(MailServer mail, Predicate<MimeMessage> ours) {
        Map<String, Integer> counts = new HashMap<>();
        mail.receivedMessages().stream().filter(ours).forEach(message -> counts.merge(recipient(message), 1, Integer::sum));
        return counts;
    }

    private static String recipient(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static long count(Map<String, String> config, String sql) throws SQLException {
        try (Connection connection = connect(config); PreparedStatement query = connection.prepareStatement(sql);
                ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }

    private static Connection connect(Map<String, String> config) throws SQLException {
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }
}

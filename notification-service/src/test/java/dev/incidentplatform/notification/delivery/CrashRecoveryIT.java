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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

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
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;

/**
 * Two instances of the packaged service share one database and consumer group and send a fan-out together. Mid-way
 * the first is killed (SIGKILL) and the second stops gracefully (handing back what it claimed); the first is started
 * again and finishes alone: every recipient gets the notice, and only the sends that were in flight in the killed
 * instance (at most one per sender thread) may arrive twice. No instance sends while another starts, so that a start
 * on a busy machine stays within ServiceProcess's ready timeout.
 */
class CrashRecoveryIT {

    private static final int RECIPIENTS = 2000;
    private static final int SENDERS = 3;

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
    void aKillMidFanOutLosesNoRecipientAndRepeatsAtMostTheSendsInFlight() throws Exception {
        Map<String, String> config = PackagedService.config("notification_crash");
        config.put("notification.senders.pool-size", Integer.toString(SENDERS));
        // Long enough for a loaded 2-core machine; the survivors wait this long before resending what was in flight.
        config.put("notification.senders.lease", "PT10S");
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
        first.kill();
        long receivedAtKill = mail.receivedMessages().stream().filter(ours).count();
        second.stop();
        assertThat(receivedAtKill).as("the kill came while the fan-out was being sent").isLessThan(RECIPIENTS);

        first.start();

        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200))
                .until(() -> countByRecipient(mail, ours).size() == RECIPIENTS);
        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(200))
                .until(() -> count(config, "SELECT count(*) FROM delivery WHERE status = 'sent'") == RECIPIENTS);

        Map<String, Integer> received = countByRecipient(mail, ours);
        int repeats = received.values().stream().mapToInt(n -> n - 1).sum();
        assertThat(repeats).as("sends repeated after the kill").isLessThanOrEqualTo(SENDERS);
        assertThat(count(config, "SELECT count(*) FROM delivery")).isEqualTo(RECIPIENTS);
        // The killed instance, the second one and the restarted one each sent part of it (claimed_by = instance#thread;
        // a restart is a new instance id): the rows were shared, and the restart resumed.
        assertThat(count(config, "SELECT count(DISTINCT split_part(claimed_by, '#', 1)) FROM delivery WHERE status = 'sent'"))
                .isEqualTo(3);
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
        try (Connection connection = DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"),
                config.get("quarkus.datasource.username"), config.get("quarkus.datasource.password"));
                PreparedStatement query = connection.prepareStatement(sql); ResultSet row = query.executeQuery()) {
            row.next();
            return row.getLong(1);
        }
    }
}

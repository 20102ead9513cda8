package dev.incidentplatform.notification;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Emitter;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.InfrastructureMode;
import dev.incidentplatform.testsupport.MailServer;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.mailer.Mail;
import io.quarkus.mailer.Mailer;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.mail.MessagingException;
import jakarta.mail.internet.MimeMessage;
import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * The service's own Kafka connector configuration round-trips through the real broker into a migrated table, and its
 * mailer reaches the real SMTP server.
 */
@QuarkusTest
class SmokeTest {

    @Inject
    @Channel("smoke-out")
    Emitter<String> out;

    @Inject
    DataSource dataSource;

    @Test
    void aRecordSentThroughKafkaIsStoredAndReadBack() {
        String id = UUID.randomUUID().toString();
        out.send(id).toCompletableFuture().join();

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> stored(id));
    }

    @Inject
    Mailer mailer;

    @Test
    void theMailerDeliversToTheRealSmtpServer() throws Exception {
        MailServer smtp = TestInfrastructure.mail();
        String subject = "smoke " + UUID.randomUUID();
        mailer.send(Mail.withText("smoke@example.com", subject, "body"));

        List<MimeMessage> received = smtp.awaitMessages(1, Duration.ofSeconds(30), message -> subjectOf(message).equals(subject));
        assertThat(received.get(0).getAllRecipients()[0].toString()).isEqualTo("smoke@example.com");
    }

    private static String subjectOf(MimeMessage message) {
        try {
            return String.valueOf(message.getSubject());
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void isReadyWithItsDatabaseAndBroker() {
        given().when().get("/q/health/ready").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void runsAgainstTheInfrastructureThisMachineAllows() {
        InfrastructureMode expected = InfrastructureMode.dockerAvailable() ? InfrastructureMode.CONTAINERS : InfrastructureMode.EMBEDDED;
        if (System.getenv(InfrastructureMode.SETTING) == null) {
            assertThat(TestInfrastructure.mode()).isEqualTo(expected);
        }
    }

    private boolean stored(String id) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT 1 FROM smoke_message WHERE id = ?")) {
            query.setString(1, id);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    /** Test-only consumer on the smoke channel: writes what it receives. */
    @ApplicationScoped
    static class SmokeConsumer {

        @Inject
        DataSource dataSource;

        @Incoming("smoke-in")
        @Blocking
        public void receive(String id) throws SQLException {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO smoke_message (id) VALUES (?) ON CONFLICT DO NOTHING")) {
                insert.setString(1, id);
                insert.executeUpdate();
            }
        }
    }
}

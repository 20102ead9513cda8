package dev.incidentplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Properties;

import org.junit.jupiter.api.Test;

import jakarta.mail.Message;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

class TestInfrastructureTest {

    @Test
    void postgresGivesEachCallerAFreshDatabase() throws Exception {
        PostgresServer server = TestInfrastructure.postgres();
        String first = server.createDatabase("check");
        String second = server.createDatabase("check");
        assertThat(first).isNotEqualTo(second);
        try (Connection connection = DriverManager.getConnection(first, server.username(), server.password());
                Statement statement = connection.createStatement()) {
            statement.execute("CREATE TABLE probe (id int primary key)");
            statement.execute("INSERT INTO probe VALUES (1)");
            try (ResultSet rows = statement.executeQuery("SHOW server_version_num")) {
                rows.next();
                assertThat(rows.getInt(1)).isGreaterThanOrEqualTo(150000);
            }
        }
        try (Connection connection = DriverManager.getConnection(second, server.username(), server.password());
                ResultSet tables = connection.getMetaData().getTables(null, null, "probe", null)) {
            assertThat(tables.next()).as("the second database does not see the first one's tables").isFalse();
        }
        server.dropDatabase(first);
        server.dropDatabase(second);
        if (!InfrastructureMode.dockerAvailable() && TestInfrastructure.setting(PostgresServer.EXTERNAL_URL_SETTING) == null) {
            assertThat(TestInfrastructure.postgresKind()).isEqualTo("embedded");
        }
    }

    @Test
    void mailSentOverSmtpCanBeReadBackAndSurvivesARestartOfTheServer() throws Exception {
        MailServer mail = TestInfrastructure.mail();
        mail.purge();
        send(mail, "first@example.com", "before restart");
        mail.awaitMessages(1, Duration.ofSeconds(10));

        mail.stop();
        assertThat(mail.running()).isFalse();
        mail.start();
        send(mail, "second@example.com", "after restart");

        List<MimeMessage> received = mail.awaitMessages(2, Duration.ofSeconds(10));
        assertThat(received).extracting(MimeMessage::getSubject).containsExactlyInAnyOrder("before restart", "after restart");
        mail.purge();
        assertThat(mail.receivedMessages()).isEmpty();
    }

    private static void send(MailServer mail, String to, String subject) throws Exception {
        Properties properties = new Properties();
        properties.put("mail.smtp.host", mail.host());
        properties.put("mail.smtp.port", Integer.toString(mail.smtpPort()));
        MimeMessage message = new MimeMessage(Session.getInstance(properties));
        message.setFrom(new InternetAddress("status@example.com"));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(to));
        message.setSubject(subject);
        message.setText("body");
        Transport.send(message);
    }
}

package dev.incidentplatform.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Points the service's mailer at this JVM's SMTP server (plain SMTP, no authentication). */
public class MailResource implements QuarkusTestResourceLifecycleManager {

    @Override
    public Map<String, String> start() {
        MailServer server = TestInfrastructure.mail();
        if (!server.running()) {
            server.start();
        }
        return Map.of(
                "quarkus.mailer.mock", "false",
                "quarkus.mailer.host", server.host(),
                "quarkus.mailer.port", Integer.toString(server.smtpPort()),
                "quarkus.mailer.tls", "false",
                "quarkus.mailer.start-tls", "DISABLED");
    }

    @Override
    public void stop() {
        // Shared by the JVM; see TestInfrastructure.
    }
}

package dev.incidentplatform.notification.support;

import java.io.IOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts {@link RejectingSmtpServer} and configures the mailer named {@code rejecting} to use it. */
public class RejectingSmtpResource implements QuarkusTestResourceLifecycleManager {

    private RejectingSmtpServer server;

    @Override
    public Map<String, String> start() {
        server = new RejectingSmtpServer();
        return Map.of(
                "quarkus.mailer.rejecting.host", "127.0.0.1",
                "quarkus.mailer.rejecting.port", Integer.toString(server.port()),
                "quarkus.mailer.rejecting.start-tls", "DISABLED",
                "quarkus.mailer.rejecting.mock", "false",
                "quarkus.mailer.rejecting.from", "status@incident-platform.local");
    }

    @Override
    public void stop() {
        try {
            server.close();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

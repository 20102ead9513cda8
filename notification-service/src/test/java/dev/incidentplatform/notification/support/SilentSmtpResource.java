package dev.incidentplatform.notification.support;

import java.io.IOException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Starts {@link SilentSmtpServer} and configures the mailer named {@code silent} to use it. */
public class SilentSmtpResource implements QuarkusTestResourceLifecycleManager {

    private SilentSmtpServer server;

    @Override
    public Map<String, String> start() {
        server = new SilentSmtpServer();
        return Map.of(
                "quarkus.mailer.silent.host", "127.0.0.1",
                "quarkus.mailer.silent.port", Integer.toString(server.port()),
                "quarkus.mailer.silent.start-tls", "DISABLED",
                "quarkus.mailer.silent.mock", "false",
                "quarkus.mailer.silent.from", "status@incident-platform.local");
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

package dev.incidentplatform.notification.support;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Starts the SMTP servers that misbehave, {@link RejectingSmtpServer} and {@link SilentSmtpServer}, and configures the
 * mailers named {@code rejecting} and {@code silent} to use them (see RecipientRoutingTransport).
 */
public class OtherSmtpServersResource implements QuarkusTestResourceLifecycleManager {

    private RejectingSmtpServer rejecting;
    private SilentSmtpServer silent;

    @Override
    public Map<String, String> start() {
        rejecting = new RejectingSmtpServer();
        silent = new SilentSmtpServer();
        Map<String, String> config = new HashMap<>();
        config.putAll(mailer("rejecting", rejecting.port()));
        config.putAll(mailer("silent", silent.port()));
        return config;
    }

    private static Map<String, String> mailer(String name, int port) {
        String prefix = "quarkus.mailer." + name + ".";
        return Map.of(
                prefix + "host", "127.0.0.1",
                prefix + "port", Integer.toString(port),
                prefix + "start-tls", "DISABLED",
                prefix + "mock", "false",
                prefix + "from", "status@incident-platform.local");
    }

    @Override
    public void stop() {
        try (RejectingSmtpServer first = rejecting; SilentSmtpServer second = silent) {
            // both closed here, the second even when closing the first fails
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}

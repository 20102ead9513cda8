package dev.incidentplatform.notification.support;

import java.util.Map;

import dev.incidentplatform.testsupport.ServiceProcess;

/** Settings of the packaged service in *IT tests: this JVM's infrastructure plus what prod requires. */
public final class PackagedService {

    public static final Map<String, Integer> TOPICS = Map.of("incident-events", 6, "credit-events", 6,
            "incident-events.notification-service.dlq", 1, "credit-events.notification-service.dlq", 1);

    private PackagedService() {
    }

    public static Map<String, String> config(String databasePrefix) {
        Map<String, String> config = ServiceProcess.infrastructureConfigWithMail(databasePrefix, TOPICS);
        config.put("platform.links.public-base-url", "https://status.example.test");
        config.put("notification.unsubscribe.key", "it-only-unsubscribe-key-of-at-least-32-bytes");
        config.put("notification.webhooks.encryption-key", "aXQtb25seS13ZWJob29rLWVuY3J5cHRpb24ta2V5LTA=");
        return config;
    }
}

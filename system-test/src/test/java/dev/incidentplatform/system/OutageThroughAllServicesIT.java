package dev.incidentplatform.system;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.ServiceProcess;

/** The three packaged services, each its own process with its own database, on the tests' broker. */
class OutageThroughAllServicesIT {

    private static final List<ServiceProcess> SERVICES = new ArrayList<>();
    private static ServiceProcess incidents;
    private static ServiceProcess notifications;
    private static ServiceProcess compensation;

    @BeforeAll
    static void startTheSystem() {
        incidents = start("incident-service", ServiceProcess.infrastructureConfig("system_incident", OutageScenario.TOPICS));
        Map<String, String> notificationConfig = ServiceProcess.infrastructureConfigWithMail("system_notification",
                OutageScenario.TOPICS);
        notificationConfig.put("platform.links.public-base-url", "https://status.example.test");
        notificationConfig.put("notification.unsubscribe.key", "system-test-unsubscribe-key-of-32-bytes-or-more");
        notificationConfig.put("notification.webhooks.encryption-key", "c3lzdGVtLXRlc3Qtd2ViaG9vay1lbmNyeXB0aW9uLWs=");
        notifications = start("notification-service", notificationConfig);
        compensation = start("compensation-service",
                ServiceProcess.infrastructureConfig("system_compensation", OutageScenario.TOPICS));
    }

    private static ServiceProcess start(String name, Map<String, String> config) {
        Path jar = Path.of("..", name, "target", "quarkus-app", "quarkus-run.jar");
        ServiceProcess service = ServiceProcess.of(name, jar, config).start();
        SERVICES.add(service);
        return service;
    }

    @AfterAll
    static void stopTheSystem() {
        SERVICES.forEach(ServiceProcess::close);
    }

    @Test
    void anOutageIsRecordedNoticedAndCreditedExactlyOnce() throws Exception {
        OutageScenario.recordNoticeAndCredit(incidents, notifications, compensation);
    }
}

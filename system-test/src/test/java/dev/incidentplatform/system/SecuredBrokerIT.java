package dev.incidentplatform.system;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.testsupport.ScramKafkaBroker;
import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestInfrastructure;

/**
 * The three packaged services against a broker that admits only SCRAM-SHA-512 authenticated clients, configured as
 * an operator configures them: with the standard environment variables that Quarkus maps to {@code kafka.*}
 * ({@code KAFKA_SECURITY_PROTOCOL}, {@code KAFKA_SASL_MECHANISM}, {@code KAFKA_SASL_JAAS_CONFIG}). Every client of
 * every service takes them: the services become ready only when their broker health checks (admin clients) connect,
 * the outage reaches the subscriber only through incident-service's relay and notification-service's consumer, and the
 * credit mail only through compensation-service's consumer and relay.
 */
class SecuredBrokerIT {

    private static final List<ServiceProcess> SERVICES = new ArrayList<>();
    private static ScramKafkaBroker broker;
    private static ServiceProcess incidents;
    private static ServiceProcess notifications;
    private static ServiceProcess compensation;

    @BeforeAll
    static void startTheSystemOnASecuredBroker() {
        broker = ScramKafkaBroker.launch(Path.of("target", "sasl-broker-" + UUID.randomUUID()), "incident-platform",
                "secret-" + UUID.randomUUID());
        broker.createTopics(OutageScenario.TOPICS);
        incidents = start("incident-service", ServiceProcess.databaseConfig("sasl_incident"));
        Map<String, String> notificationConfig = ServiceProcess.databaseConfig("sasl_notification");
        notificationConfig.put("quarkus.mailer.host", TestInfrastructure.mail().host());
        notificationConfig.put("quarkus.mailer.port",
                Integer.toString(TestInfrastructure.mail().smtpPort()));
        notificationConfig.put("platform.links.public-base-url", "https://status.example.test");
        notificationConfig.put("notification.unsubscribe.key", "system-test-unsubscribe-key-of-32-bytes-or-more");
        notificationConfig.put("notification.webhooks.encryption-key", "c3lzdGVtLXRlc3Qtd2ViaG9vay1lbmNyeXB0aW9uLWs=");
        notifications = start("notification-service", notificationConfig);
        compensation = start("compensation-service", ServiceProcess.databaseConfig("sasl_compensation"));
    }

    private static ServiceProcess start(String name, Map<String, String> config) {
        Path jar = Path.of("..", name, "target", "quarkus-app", "quarkus-run.jar");
        ServiceProcess service = ServiceProcess.of(name, jar, config).withEnvironment(kafkaEnvironment()).start();
        SERVICES.add(service);
        return service;
    }

    /** The broker's client settings as environment variables: {@code sasl.jaas.config} → {@code KAFKA_SASL_JAAS_CONFIG}. */
    private static Map<String, String> kafkaEnvironment() {
        Map<String, String> environment = new LinkedHashMap<>();
        broker.clientSettings().forEach((key, value) ->
                environment.put("KAFKA_" + key.toUpperCase().replace('.', '_'), value));
        return environment;
    }

    @AfterAll
    static void stopTheSystem() {
        SERVICES.forEach(ServiceProcess::close);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anOutageFlowsThroughTheSecuredBrokerToAMailAndACredit() throws Exception {
        OutageScenario.recordNoticeAndCredit(incidents, notifications, compensation);
    }

    @Test
    void theBrokerRefusesAClientWithoutCredentials() {
        Properties anonymous = new Properties();
        anonymous.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
        anonymous.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        anonymous.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        try (Admin admin = Admin.create(anonymous)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class);
        }
    }

    @Test
    void theBrokerRefusesAWrongPassword() {
        Properties impostor = broker.clientProperties();
        impostor.put("sasl.jaas.config", ScramKafkaBroker.jaasConfig(broker.username(), "not-the-password"));
        // The admin client refuses a default API timeout below its request timeout, so both are lowered together.
        impostor.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "5000");
        impostor.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
        try (Admin admin = Admin.create(impostor)) {
            assertThatThrownBy(() -> admin.listTopics().names().get(10, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .hasCauseInstanceOf(SaslAuthenticationException.class);
        }
    }

    @Test
    void theServicesUserIsAdmitted() throws Exception {
        try (Admin admin = Admin.create(broker.clientProperties())) {
            assertThat(admin.listTopics().names().get(10, TimeUnit.SECONDS)).containsAll(OutageScenario.TOPICS.keySet());
        }
    }
}

package dev.incidentplatform.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ServiceSettingsTest {

    @Test
    void aServiceKnowsTheQuarkusSettingsOfItsExtensionsAndNotAMisspeltOne() {
        ServiceSettings incident = Repository.settings("incident-service");
        assertThat(incident.unreadableMappings()).isEmpty();
        assertThat(incident.knows("QUARKUS_DATASOURCE_JDBC_URL")).isTrue();
        assertThat(incident.knows("QUARKUS_DATASOURCE_USERNAME")).isTrue();
        // Set nowhere in application.properties: known from the extension's config root only.
        assertThat(incident.knows("QUARKUS_DATASOURCE_JDBC_MIN_SIZE")).isTrue();
        assertThat(incident.knows("QUARKUS_HTTP_PROXY_TRUSTED_PROXIES")).isTrue();
        assertThat(incident.knows("QUARKUS_LOG_CATEGORY__IO_NETTY__LEVEL")).isTrue();
        assertThat(incident.knows("QUARKUS_DATASOURCE_JDBC_UR")).isFalse();
        assertThat(incident.knows("QUARKUS_DATASOURCE_JDBC_URLS")).isFalse();
        assertThat(incident.knows("QUARKUS_HTTP_PORTT")).isFalse();
        // Only the environment form: lower case is not how a variable names a setting here.
        assertThat(incident.knows("quarkus.datasource.jdbc.url")).isFalse();
    }

    @Test
    void injectedPropertiesOfLibrariesAndOfTheServiceAreKnown() {
        ServiceSettings incident = Repository.settings("incident-service");
        // smallrye-jwt's @ConfigProperty, never written in application.properties.
        assertThat(incident.knows("MP_JWT_VERIFY_AUDIENCES")).isTrue();
        assertThat(incident.knows("MP_JWT_VERIFY_AUDIENCE")).isFalse();
        // The service's own @ConfigProperty with a default, and the platform's.
        assertThat(incident.knows("INCIDENT_RELAY_HEALTH_MAX_LAG")).isTrue();
        assertThat(incident.knows("PLATFORM_JWT_MAX_ISSUED_AT_SKEW")).isTrue();
        // Read by an expression in application.properties.
        assertThat(incident.knows("JWT_PUBLIC_KEY_LOCATION")).isTrue();
    }

    @Test
    void configMappingsOfThePlatformAndOfTheServiceAreKnownToThatServiceOnly() {
        ServiceSettings notification = Repository.settings("notification-service");
        ServiceSettings compensation = Repository.settings("compensation-service");
        assertThat(notification.unreadableMappings()).isEmpty();
        assertThat(notification.knows("NOTIFICATION_UNSUBSCRIBE_KEY")).isTrue();
        assertThat(notification.knows("NOTIFICATION_WEBHOOKS_ENCRYPTION_KEY")).isTrue();
        assertThat(notification.knows("NOTIFICATION_WEBHOOK_ENCRYPTION_KEY")).isFalse();
        assertThat(notification.knows("PLATFORM_LINKS_PUBLIC_BASE_URL")).isTrue();
        assertThat(compensation.knows("NOTIFICATION_UNSUBSCRIBE_KEY")).isFalse();
        assertThat(compensation.knows("PLATFORM_HTTP_BODY_LIMIT")).isTrue();
    }

    @Test
    void kafkaVariablesAreKnownWhenTheKafkaClientsKnowTheSetting() {
        ServiceSettings compensation = Repository.settings("compensation-service");
        assertThat(compensation.knows("KAFKA_BOOTSTRAP_SERVERS")).isTrue();
        assertThat(compensation.knows("KAFKA_SECURITY_PROTOCOL")).isTrue();
        assertThat(compensation.knows("KAFKA_SASL_JAAS_CONFIG")).isTrue();
        assertThat(compensation.knows("KAFKA_SSL_TRUSTSTORE_LOCATION")).isTrue();
        assertThat(compensation.knows("KAFKA_SASL_JASS_CONFIG")).isFalse();
        assertThat(compensation.knows("KAFKA_SSL_TRUSTSTORE_LOCATIONS")).isFalse();
    }
}

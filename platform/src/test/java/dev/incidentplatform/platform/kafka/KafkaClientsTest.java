package dev.incidentplatform.platform.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

/** Every hand-built client gets the security settings of the kafka.* configuration, and only keys it knows. */
class KafkaClientsTest {

    private static final Map<String, Object> BROKER = Map.of(
            "bootstrap.servers", "broker-1:9093,broker-2:9093",
            "security.protocol", "SASL_SSL",
            "sasl.mechanism", "SCRAM-SHA-512",
            "sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"u\" password=\"p\";",
            "ssl.truststore.location", "/etc/kafka/truststore.p12",
            "group.id", "incident-service",
            "acks", "1",
            "health-timeout", "PT2S");

    private final KafkaClients clients = new KafkaClients(BROKER, "incident-service");

    @Test
    void producersConsumersAndAdminClientsCarryTheSecuritySettings() {
        for (Properties properties : new Properties[] { clients.producer("relay", Map.of()), clients.consumer("tail", Map.of()),
                clients.admin("health", Map.of()) }) {
            assertThat(properties).containsEntry("bootstrap.servers", "broker-1:9093,broker-2:9093")
                    .containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512")
                    .containsKey("sasl.jaas.config").containsEntry("ssl.truststore.location", "/etc/kafka/truststore.p12")
                    .doesNotContainKey("health-timeout");
        }
    }

    @Test
    void eachKindOfClientKeepsOnlyItsOwnKeysAndTheOverridesWin() {
        Properties producer = clients.producer("relay", Map.of("acks", "all"));
        assertThat(producer).containsEntry("acks", "all").containsEntry("client.id", "incident-service-relay")
                .doesNotContainKey("group.id");
        assertThat(clients.consumer("tail", Map.of())).containsEntry("group.id", "incident-service").doesNotContainKey("acks");
        assertThat(clients.admin("health", Map.of())).doesNotContainKey("acks").doesNotContainKey("group.id");
    }
}

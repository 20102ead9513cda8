package dev.incidentplatform.platform.kafka;

import java.util.Map;
import java.util.Properties;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.smallrye.common.annotation.Identifier;

/**
 * The settings of every Kafka client a service builds by hand (relays, topic-tail readers, admin clients), taken from
 * the same {@code kafka.*} configuration the messaging channels use, so that {@code security.protocol},
 * {@code sasl.*} and {@code ssl.*} reach them all. Each kind of client keeps only the keys it knows (the broker map
 * also holds channel-only settings, which a client would warn about).
 */
@ApplicationScoped
public class KafkaClients {

    private final Map<String, Object> broker;
    private final String application;

    @Inject
    public KafkaClients(@Identifier("default-kafka-broker") Map<String, Object> broker,
            @ConfigProperty(name = "quarkus.application.name") String application) {
        this.broker = Map.copyOf(broker);
        this.application = application;
    }

    /** {@code purpose} names the client ({@code <application>-<purpose>}); {@code overrides} win over the configuration. */
    public Properties producer(String purpose, Map<String, ?> overrides) {
        return properties(ProducerConfig.configNames(), purpose, overrides);
    }

    public Properties consumer(String purpose, Map<String, ?> overrides) {
        return properties(ConsumerConfig.configNames(), purpose, overrides);
    }

    public Properties admin(String purpose, Map<String, ?> overrides) {
        return properties(AdminClientConfig.configNames(), purpose, overrides);
    }

    private Properties properties(Set<String> known, String purpose, Map<String, ?> overrides) {
        Properties properties = new Properties();
        broker.forEach((key, value) -> {
            if (known.contains(key) && value != null) {
                properties.put(key, value);
            }
        });
        properties.put(CommonClientConfigs.CLIENT_ID_CONFIG, application + "-" + purpose);
        properties.putAll(overrides);
        return properties;
    }
}

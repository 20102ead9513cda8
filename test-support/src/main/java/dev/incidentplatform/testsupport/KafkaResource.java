package dev.incidentplatform.testsupport;

import java.util.LinkedHashMap;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * Points the service under test at this JVM's Kafka broker and creates the topics it names in the {@code topics}
 * argument ({@code name:partitions,…}) before the application starts: the broker does not create topics on demand.
 */
public class KafkaResource implements QuarkusTestResourceLifecycleManager {

    public static final String TOPICS = "topics";

    private final Map<String, Integer> topics = new LinkedHashMap<>();

    @Override
    public void init(Map<String, String> initArgs) {
        String list = initArgs.getOrDefault(TOPICS, "");
        for (String entry : list.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            String[] parts = entry.trim().split(":");
            topics.put(parts[0], parts.length > 1 ? Integer.parseInt(parts[1]) : 1);
        }
    }

    @Override
    public Map<String, String> start() {
        KafkaBroker broker = TestInfrastructure.kafka();
        if (!broker.running()) {
            broker.start();
        }
        broker.createTopics(topics);
        return Map.of("kafka.bootstrap.servers", broker.bootstrapServers());
    }

    @Override
    public void stop() {
        // The broker lives as long as the JVM, shared by every application started in it.
    }
}

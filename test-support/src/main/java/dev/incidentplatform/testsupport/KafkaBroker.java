package dev.incidentplatform.testsupport;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * A real Kafka broker for tests: in-JVM KRaft without Docker, the {@code apache/kafka} image with it.
 * One per test JVM (see {@link TestInfrastructure#kafka()}).
 */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** Makes the broker unreachable for clients, as when it crashes; its data stays. */
    void stop();

    /** Brings the broker back on the same address with the data it had. */
    void start();

    boolean running();

    @Override
    void close();

    default Properties clientProperties() {
        Properties properties = new Properties();
        properties.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers());
        return properties;
    }

    /** Creates the topics that do not exist yet (the broker does not create topics on demand). */
    default void createTopics(Map<String, Integer> partitionsByTopic) {
        try (Admin admin = Admin.create(clientProperties())) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            partitionsByTopic.forEach((topic, partitions) -> {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions, (short) 1));
                }
            });
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
        } catch (ExecutionException e) {
            if (!(e.getCause() instanceof TopicExistsException)) {
                throw new IllegalStateException("Could not create topics " + partitionsByTopic.keySet(), e.getCause());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}

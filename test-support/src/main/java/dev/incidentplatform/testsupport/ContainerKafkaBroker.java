package dev.incidentplatform.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.kafka.KafkaContainer;

/** The {@code apache/kafka} image at the client's version, where a Docker engine is available. */
final class ContainerKafkaBroker implements KafkaBroker {

    static final String IMAGE = "apache/kafka:4.1.2";

    private final KafkaContainer container;
    private volatile boolean running;

    private ContainerKafkaBroker(KafkaContainer container) {
        this.container = container;
        this.running = true;
    }

    static ContainerKafkaBroker launch() {
        KafkaContainer container = new KafkaContainer(IMAGE)
                .withEnv("KAFKA_AUTO_CREATE_TOPICS_ENABLE", "false")
                .withEnv("KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS", "0");
        container.start();
        return new ContainerKafkaBroker(container);
    }

    @Override
    public String bootstrapServers() {
        return container.getBootstrapServers();
    }

    /** Pausing keeps the mapped port and the data; clients see a broker that no longer answers. */
    @Override
    public synchronized void stop() {
        if (running) {
            DockerClientFactory.instance().client().pauseContainerCmd(container.getContainerId()).exec();
            running = false;
        }
    }

    @Override
    public synchronized void start() {
        if (!running) {
            DockerClientFactory.instance().client().unpauseContainerCmd(container.getContainerId()).exec();
            running = true;
        }
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public void close() {
        container.stop();
    }
}

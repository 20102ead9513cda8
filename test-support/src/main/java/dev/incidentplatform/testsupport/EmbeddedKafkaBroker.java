package dev.incidentplatform.testsupport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.test.KafkaClusterTestKit;
import org.apache.kafka.common.test.TestKitNodes;
import org.apache.kafka.server.common.MetadataVersion;

import kafka.server.BrokerServer;

/** A single combined-mode KRaft node in this JVM, from Kafka's own test kit. */
final class EmbeddedKafkaBroker implements KafkaBroker {

    private final KafkaClusterTestKit cluster;
    private volatile boolean running;

    private EmbeddedKafkaBroker(KafkaClusterTestKit cluster) {
        this.cluster = cluster;
    }

    static EmbeddedKafkaBroker launch(Path baseDirectory) {
        try {
            Files.createDirectories(baseDirectory);
            TestKitNodes nodes = new TestKitNodes.Builder()
                    .setCombined(true)
                    .setNumBrokerNodes(1)
                    .setNumControllerNodes(1)
                    // The kit's default is an unstable metadata version; clients expect a released one.
                    .setBootstrapMetadataVersion(MetadataVersion.latestProduction())
                    .setBaseDirectory(baseDirectory)
                    .build();
            KafkaClusterTestKit cluster = new KafkaClusterTestKit.Builder(nodes)
                    .setConfigProp("auto.create.topics.enable", "false")
                    .setConfigProp("group.initial.rebalance.delay.ms", "0")
                    // A restarted broker may register only once its previous session has expired.
                    .setConfigProp("broker.session.timeout.ms", "2000")
                    .setConfigProp("broker.heartbeat.interval.ms", "500")
                    .setConfigProp("offsets.topic.replication.factor", "1")
                    .setConfigProp("offsets.topic.num.partitions", "6")
                    .setConfigProp("transaction.state.log.replication.factor", "1")
                    .setConfigProp("transaction.state.log.min.isr", "1")
                    .setConfigProp("share.coordinator.state.topic.replication.factor", "1")
                    .setConfigProp("share.coordinator.state.topic.min.isr", "1")
                    .build();
            cluster.format();
            cluster.startup();
            cluster.waitForReadyBrokers();
            EmbeddedKafkaBroker broker = new EmbeddedKafkaBroker(cluster);
            broker.running = true;
            return broker;
        } catch (Exception e) {
            throw new IllegalStateException("Could not start the in-JVM Kafka broker under " + baseDirectory, e);
        }
    }

    @Override
    public String bootstrapServers() {
        return cluster.bootstrapServers();
    }

    @Override
    public synchronized void stop() {
        if (!running) {
            return;
        }
        // The controller keeps running; the broker's listener closes, so clients see connection refused.
        cluster.brokers().values().forEach(BrokerServer::shutdown);
        running = false;
    }

    @Override
    public synchronized void start() {
        if (running) {
            return;
        }
        // The test kit rebinds the broker's listener to the port it had, so clients reconnect to the same address.
        cluster.brokers().values().forEach(BrokerServer::startup);
        try {
            cluster.waitForReadyBrokers();
        } catch (ExecutionException e) {
            throw new IllegalStateException("The Kafka broker did not come back", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        running = true;
    }

    @Override
    public boolean running() {
        return running;
    }

    @Override
    public synchronized void close() {
        try {
            cluster.close();
        } catch (Exception e) {
            throw new IllegalStateException("Could not stop the in-JVM Kafka broker", e);
        }
        running = false;
    }
}

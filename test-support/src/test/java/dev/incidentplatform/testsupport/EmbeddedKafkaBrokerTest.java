package dev.incidentplatform.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

class EmbeddedKafkaBrokerTest {

    @Test
    void keepsItsAddressAndDataAcrossAStopAndStart() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.launch(Path.of("target", "kafka-" + UUID.randomUUID()))) {
            broker.createTopics(Map.of("restart-check", 1));
            String address = broker.bootstrapServers();

            try (KafkaProducer<String, String> producer = new KafkaProducer<>(producerProperties(broker))) {
                producer.send(new ProducerRecord<>("restart-check", "k", "before")).get(30, TimeUnit.SECONDS);

                broker.stop();
                assertThat(broker.running()).isFalse();
                // Sent while the broker is down (send may block on metadata): it completes once the broker returns.
                CompletableFuture<RecordMetadata> pending = CompletableFuture.supplyAsync(() -> sendAndWait(producer, "during"));
                assertThatThrownBy(() -> pending.get(3, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);

                broker.start();
                assertThat(broker.bootstrapServers()).isEqualTo(address);
                pending.get(60, TimeUnit.SECONDS);
                producer.send(new ProducerRecord<>("restart-check", "k", "after")).get(30, TimeUnit.SECONDS);
            }

            assertThat(readAll(broker, "restart-check", 3)).containsExactly("before", "during", "after");
        }
    }

    private static RecordMetadata sendAndWait(KafkaProducer<String, String> producer, String value) {
        try {
            return producer.send(new ProducerRecord<>("restart-check", "k", value)).get();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Properties producerProperties(KafkaBroker broker) {
        Properties properties = broker.clientProperties();
        properties.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        properties.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        properties.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "120000");
        properties.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "120000");
        properties.put(ProducerConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, "500");
        return properties;
    }

    private static List<String> readAll(KafkaBroker broker, String topic, int expected) {
        Properties properties = broker.clientProperties();
        properties.put(ConsumerConfig.GROUP_ID_CONFIG, "restart-check-" + UUID.randomUUID());
        properties.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        properties.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        properties.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (values.size() < expected && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
        }
        return values;
    }
}

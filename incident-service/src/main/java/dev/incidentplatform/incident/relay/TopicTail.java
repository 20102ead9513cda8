package dev.incidentplatform.incident.relay;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import dev.incidentplatform.incident.eventstore.Cursor;

/**
 * The last event of this store that a topic holds in committed Kafka transactions. The relay commits one Kafka
 * transaction per batch and batches follow the store's order, so what is committed on the topic is a prefix of that
 * order, and its end is the largest position found at the tail of any partition.
 */
final class TopicTail {

    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    private static final int FIRST_WINDOW = 64;

    private TopicTail() {
    }

    static Optional<Cursor> lastPublished(String bootstrapServers, String topic, UUID storeId, Duration timeout) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, IsolationLevel.READ_COMMITTED.toString().toLowerCase());
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        properties.put(ConsumerConfig.CLIENT_ID_CONFIG, "incident-service-relay-reconcile");
        properties.put(ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
        properties.put(ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000));
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            // All assigned once and paused; each partition is read alone by resuming it.
            consumer.assign(partitions);
            consumer.pause(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, timeout);
            Cursor last = null;
            for (TopicPartition partition : partitions) {
                Cursor found = lastInPartition(consumer, partition, begins.get(partition), ends.get(partition), storeId, deadline);
                LOG.debugf("%s holds [%d, %d), the last of this store's events there: %s", partition, begins.get(partition),
                        ends.get(partition), found);
                if (found != null && (last == null || found.compareTo(last) > 0)) {
                    last = found;
                }
            }
            return Optional.ofNullable(last);
        }
    }

    /** Reads windows backwards from the end (aborted records and transaction markers have no payload for us). */
    private static Cursor lastInPartition(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long begin,
            long end, UUID storeId, long deadline) {
        consumer.resume(List.of(partition));
        try {
            return lastInPartition(consumer, partition, begin, end, storeId, deadline, FIRST_WINDOW);
        } finally {
            consumer.pause(List.of(partition));
        }
    }

    private static Cursor lastInPartition(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long begin,
            long end, UUID storeId, long deadline, int firstWindow) {
        long windowEnd = end;
        int window = firstWindow;
        while (windowEnd > begin) {
            long windowStart = Math.max(begin, windowEnd - window);
            consumer.seek(partition, windowStart);
            Cursor last = null;
            while (consumer.position(partition) < windowEnd) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out reading the tail of " + partition);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                    if (record.offset() < windowEnd && storeId.toString().equals(header(record, CloudEventRecords.STORE_HEADER))) {
                        String position = header(record, CloudEventRecords.POSITION_HEADER);
                        if (position != null) {
                            Cursor cursor = Cursor.parse(position);
                            last = last == null ? cursor : last.max(cursor);
                        }
                    }
                }
            }
            if (last != null) {
                return last;
            }
            windowEnd = windowStart;
            window *= 4;
        }
        return null;
    }

    private static String header(ConsumerRecord<byte[], byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

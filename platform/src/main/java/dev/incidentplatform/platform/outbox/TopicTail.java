package dev.incidentplatform.platform.outbox;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.jboss.logging.Logger;

import dev.incidentplatform.platform.kafka.KafkaClients;

/**
 * The last row of a store that a topic holds in committed Kafka transactions. A relay commits one Kafka transaction
 * per batch and batches follow the store's commit order, so what is committed on the topic is a prefix of that order,
 * and its end is the largest position found at the tail of any partition.
 */
final class TopicTail {

    private static final Logger LOG = Logger.getLogger(TopicTail.class);
    private static final int FIRST_WINDOW = 64;

    private final KafkaClients kafka;
    private final String topic;
    private final String storeHeader;
    private final String positionHeader;

    TopicTail(KafkaClients kafka, String topic, String storeHeader, String positionHeader) {
        this.kafka = kafka;
        this.topic = topic;
        this.storeHeader = storeHeader;
        this.positionHeader = positionHeader;
    }

    Optional<Cursor> lastPublished(UUID storeId, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(kafka.consumer("reconcile-" + topic, Map.of(
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false",
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis(),
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, (int) Math.min(timeout.toMillis(), 10_000))),
                new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, timeout).stream()
                    .map(info -> new TopicPartition(topic, info.partition())).toList();
            // All assigned once and paused; each partition is read alone by resuming it.
            consumer.assign(partitions);
            consumer.pause(partitions);
            Map<TopicPartition, Long> ends = consumer.endOffsets(partitions, timeout);
            Map<TopicPartition, Long> begins = consumer.beginningOffsets(partitions, timeout);
            Cursor last = null;
            for (TopicPartition partition : partitions) {
                consumer.resume(List.of(partition));
                Cursor found;
                try {
                    found = lastInPartition(consumer, partition, begins.get(partition), ends.get(partition), storeId, deadline);
                } finally {
                    consumer.pause(List.of(partition));
                }
                LOG.debugf("%s holds [%d, %d), the last of this store's rows there: %s", partition, begins.get(partition),
                        ends.get(partition), found);
                if (found != null) {
                    last = last == null ? found : last.max(found);
                }
            }
            return Optional.ofNullable(last);
        }
    }

    /** Reads windows backwards from the end (aborted records and transaction markers carry nothing of ours). */
    private Cursor lastInPartition(KafkaConsumer<byte[], byte[]> consumer, TopicPartition partition, long begin, long end,
            UUID storeId, long deadline) {
        long windowEnd = end;
        int window = FIRST_WINDOW;
        String store = storeId.toString();
        while (windowEnd > begin) {
            long windowStart = Math.max(begin, windowEnd - window);
            consumer.seek(partition, windowStart);
            Cursor last = null;
            while (consumer.position(partition) < windowEnd) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("Timed out reading the tail of " + partition);
                }
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200)).records(partition)) {
                    if (record.offset() < windowEnd && store.equals(header(record, storeHeader))) {
                        String position = header(record, positionHeader);
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

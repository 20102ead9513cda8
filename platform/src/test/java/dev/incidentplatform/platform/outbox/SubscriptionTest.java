package dev.incidentplatform.platform.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.postgresql.ds.PGSimpleDataSource;

import dev.incidentplatform.platform.kafka.KafkaClients;
import dev.incidentplatform.platform.tracing.Tracing;
import dev.incidentplatform.testsupport.KafkaBroker;
import dev.incidentplatform.testsupport.PostgresServer;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

/**
 * The subscription against a real PostgreSQL and a real broker, as two instances of a service would run it: one
 * leader, exactly once on the topic through a stopped leader and a checkpoint set back, and a database subscriber
 * that applies each row once even when a batch fails half-way.
 */
class SubscriptionTest {

    private static final AppendOnlyTable TABLE = new AppendOnlyTable("note", "entry.note_id, entry.note_key, entry.body",
            "", "recorded_at", "note_appended");

    private final List<Subscription> running = new ArrayList<>();
    private PostgresServer postgres;
    private String url;
    private PGSimpleDataSource dataSource;
    private KafkaBroker kafka;
    private KafkaClients clients;
    private String topic;
    private SimpleMeterRegistry meters;

    @BeforeEach
    void createTheTableAndTheTopic() throws SQLException {
        postgres = TestInfrastructure.postgres();
        url = postgres.createDatabase("outbox");
        dataSource = new PGSimpleDataSource();
        dataSource.setUrl(url);
        dataSource.setUser(postgres.username());
        dataSource.setPassword(postgres.password());
        execute("""
                CREATE TABLE note (
                    position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
                    transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
                    recorded_at    timestamptz NOT NULL DEFAULT clock_timestamp(),
                    note_id        uuid NOT NULL,
                    note_key       text NOT NULL,
                    body           text NOT NULL);
                CREATE INDEX note_order ON note (transaction_id, position);
                CREATE FUNCTION notify_note() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN PERFORM pg_notify('note_appended', ''); RETURN NULL; END; $$;
                CREATE TRIGGER note_appended AFTER INSERT ON note FOR EACH STATEMENT EXECUTE FUNCTION notify_note();
                CREATE TABLE checkpoint (name text PRIMARY KEY, last_transaction_id xid8 NOT NULL, last_position bigint NOT NULL,
                    updated_at timestamptz NOT NULL DEFAULT now());
                CREATE TABLE store_identity (store_id uuid PRIMARY KEY);
                INSERT INTO store_identity VALUES (gen_random_uuid());
                CREATE TABLE applied_note (note_id uuid PRIMARY KEY, body text NOT NULL);""");
        kafka = TestInfrastructure.kafka();
        topic = "notes-" + UUID.randomUUID();
        kafka.createTopics(Map.of(topic, 3));
        clients = new KafkaClients(Map.of("bootstrap.servers", kafka.bootstrapServers()), "platform-test");
        meters = new SimpleMeterRegistry();
    }

    @AfterEach
    void stopAndDrop() {
        running.forEach(Subscription::stop);
        postgres.dropDatabase(url);
    }

    @Test
    void oneOfTwoInstancesLeadsAndTheOtherTakesOverWithoutAGapOrADuplicate() throws Exception {
        Subscription first = relay();
        Subscription second = relay();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> first.leader() || second.leader());
        // Never both, checked the whole time rather than once after a pause.
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).pollInterval(Duration.ofMillis(20))
                .until(() -> !(first.leader() && second.leader()));
        List<String> written = append(0, 120);

        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> published().size() >= written.size());
        Subscription leader = first.leader() ? first : second;
        Subscription standby = leader == first ? second : first;
        leader.stop();
        written.addAll(append(120, 80));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(standby::leader);

        assertExactlyOnceInOrder(written);
        assertThat(meters.get("outbox.published").tag("stream", "notes").counter().count()).isEqualTo(written.size());
    }

    @Test
    void aCheckpointSetBackBehindTheTopicIsMovedForwardNotRepublished() throws Exception {
        Subscription relay = relay();
        List<String> written = append(0, 60);
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> published().size() >= written.size());
        relay.stop();
        // What a crash between Kafka's commit and the checkpoint's leaves behind, at its worst.
        execute("UPDATE checkpoint SET last_transaction_id = '0', last_position = 0");
        relay.start();
        written.addAll(append(60, 10));

        assertExactlyOnceInOrder(written);
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .until(() -> checkpoint("relay:notes").position() == 70);
    }

    @Test
    void theDatabaseSubscriberAppliesEachRowOnceWithItsCheckpointEvenAfterAFailedBatch() throws Exception {
        AtomicBoolean failOnce = new AtomicBoolean(true);
        ProjectedStream<String[]> stream = new ProjectedStream<>() {
            @Override
            public SubscriptionSettings settings() {
                return SubscriptionTest.settings("applied-notes", "projection:notes");
            }

            @Override
            public AppendOnlyTable table() {
                return TABLE;
            }

            @Override
            public String[] read(ResultSet row) throws SQLException {
                return new String[] { row.getString("note_id"), row.getString("body") };
            }

            @Override
            public void apply(Connection transaction, List<String[]> batch) throws SQLException {
                try (PreparedStatement insert = transaction.prepareStatement("INSERT INTO applied_note VALUES (CAST(? AS uuid), ?)")) {
                    for (String[] note : batch) {
                        insert.setString(1, note[0]);
                        insert.setString(2, note[1]);
                        insert.executeUpdate();
                        if (failOnce.getAndSet(false)) {
                            throw new IllegalStateException("the first batch fails after its first row");
                        }
                    }
                }
            }
        };
        SubscriptionMetrics metrics = new SubscriptionMetrics(meters, "applied-notes", false);
        Subscription subscription = new Subscription(stream.settings(), TABLE, dataSource,
                () -> new DatabaseSubscriber<>(stream, dataSource, metrics), metrics);
        running.add(subscription);
        subscription.start();
        append(0, 45);

        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> count("SELECT count(*) FROM applied_note") == 45);
        assertThat(checkpoint("projection:notes").position()).isEqualTo(45);
        assertThat(meters.get("outbox.failures").tag("stream", "applied-notes").counter().count()).isEqualTo(1);
        assertThat(meters.get("outbox.applied").tag("stream", "applied-notes").counter().count()).isEqualTo(45);
        metrics.sample(dataSource, TABLE, "projection:notes");
        assertThat(metrics.lag().rows()).isZero();
        assertThat(metrics.lag().failure()).isNull();
    }

    private Subscription relay() {
        RelayedStream stream = new RelayedStream() {
            @Override
            public SubscriptionSettings settings() {
                return SubscriptionTest.settings("notes", "relay:notes");
            }

            @Override
            public AppendOnlyTable table() {
                return TABLE;
            }

            @Override
            public String topic() {
                return topic;
            }

            @Override
            public String storeIdentityQuery() {
                return "SELECT store_id FROM store_identity";
            }

            @Override
            public String headerPrefix() {
                return "note";
            }

            @Override
            public Optional<OutboxRecord> record(ResultSet row) throws SQLException {
                return Optional.of(new OutboxRecord(row.getString("note_key"), CloudEventBuilder.v1()
                        .withId(row.getString("note_id")).withType("note-written").withSource(URI.create("/platform-test"))
                        .withTime(OffsetDateTime.now()).withDataContentType("text/plain")
                        .withData(row.getString("body").getBytes(StandardCharsets.UTF_8)).build()));
            }
        };
        // Both instances count into the same counter: its total is what reached the topic.
        SubscriptionMetrics metrics = new SubscriptionMetrics(meters, "notes", true);
        Subscription subscription = new Subscription(stream.settings(), TABLE, dataSource,
                () -> new KafkaRelay(stream, clients, metrics, Tracing.disabled()), metrics);
        running.add(subscription);
        subscription.start();
        return subscription;
    }

    private static SubscriptionSettings settings(String name, String checkpoint) {
        return new SubscriptionSettings(name, checkpoint, 25, Duration.ofMillis(200), Duration.ofSeconds(60), true);
    }

    /** Appends {@code count} notes, several per transaction, over three keys; returns their ids in commit order. */
    private List<String> append(int from, int count) throws SQLException {
        List<String> ids = new ArrayList<>();
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            for (int i = from; i < from + count; i++) {
                String id = UUID.randomUUID().toString();
                try (PreparedStatement insert = connection.prepareStatement(
                        "INSERT INTO note (note_id, note_key, body) VALUES (CAST(? AS uuid), ?, ?)")) {
                    insert.setString(1, id);
                    insert.setString(2, "key-" + i % 3);
                    insert.setString(3, Integer.toString(i));
                    insert.executeUpdate();
                }
                ids.add(id);
                if (i % 7 == 6) {
                    connection.commit();
                }
            }
            connection.commit();
        }
        return ids;
    }

    private void assertExactlyOnceInOrder(List<String> written) throws Exception {
        List<List<ConsumerRecord<String, String>>> last = new ArrayList<>();
        Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            last.clear();
            last.add(published());
            return last.get(0).size() >= written.size();
        });
        // Nothing more arrives: a duplicate published late would show here.
        int count = last.get(0).size();
        Awaitility.await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> published().size() == count);
        List<ConsumerRecord<String, String>> records = published();
        List<String> ids = records.stream().map(r -> header(r, "ce_id")).toList();
        assertThat(new HashSet<>(ids)).hasSize(ids.size());
        assertThat(ids).containsExactlyInAnyOrderElementsOf(written);
        for (String key : List.of("key-0", "key-1", "key-2")) {
            List<Integer> bodies = records.stream().filter(r -> key.equals(r.key())).map(r -> Integer.parseInt(r.value())).toList();
            assertThat(bodies).as(key).isSorted();
        }
        assertThat(records).allSatisfy(r -> {
            assertThat(header(r, "ce_specversion")).isEqualTo("1.0");
            assertThat(header(r, "content-type")).isEqualTo("text/plain");
            assertThat(header(r, "note-position")).isNotBlank();
        });
    }

    /** Everything committed on the topic, read_committed, in partition order. */
    private List<ConsumerRecord<String, String>> published() {
        Properties properties = kafka.clientProperties();
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<ConsumerRecord<String, String>> records = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(),
                new StringDeserializer())) {
            var partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new org.apache.kafka.common.TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<org.apache.kafka.common.TopicPartition, Long> ends = consumer.endOffsets(partitions);
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p)) && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(100)).forEach(records::add);
            }
        }
        return records;
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        var header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    private Cursor checkpoint(String name) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            return Checkpoints.read(connection, name);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

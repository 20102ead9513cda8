package dev.incidentplatform.platform.consume;

import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import dev.incidentplatform.platform.problem.ProblemException;
import dev.incidentplatform.platform.tracing.Tracing;
import io.cloudevents.CloudEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.runtime.Startup;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.reactive.messaging.kafka.api.OutgoingKafkaRecordMetadata;

/**
 * Consumes one record so that it never blocks its partition for a reason of its own, and never loses one:
 * <ul>
 * <li>a <b>transient</b> failure ({@link Failures#isTransient}: the database or broker is away, a deadlock) is
 * retried with capped exponential backoff and jitter for as long as it lasts: the partition waits, correctly, since
 * every event behind it would fail the same way;</li>
 * <li>any <b>other</b> failure is retried until the event has failed {@code platform.consume.max-attempts} times, and
 * an <b>unreadable</b> record ({@link UnreadableEventException}) not at all; then the record is <b>parked</b>: stored in
 * the service's {@code parked_event} table (committed first), then nacked, so that the channel's
 * {@code dead-letter-queue} failure strategy produces it, with its headers and the reason, original coordinates,
 * attempts and consumer group in {@code dead-letter-*} headers, to the channel's dead-letter topic, and acknowledges
 * it only once the broker has it. The partition then moves on.</li>
 * </ul>
 * A parked event is replayed by {@link #replay}, through the same handler. Meters: {@code events.parked} (consumer
 * group, topic, cause) and {@code events.retried} (consumer group, topic, transient or deterministic), each at 0 from
 * start-up for every incoming channel, so that an alert on them sees the series before the first one.
 * <p>
 * Each attempt to apply an event (a replay too) is a CONSUMER span ({@link Tracing#consuming}), child of the span
 * named by the event's {@code traceparent} (the relay's publish span), with the event id, trace id and span id in the
 * log MDC: what the handler logs and traces belongs to the trace of the command that caused the event.
 */
@Startup
@IfBuildProperty(name = "platform.consume.enabled", stringValue = "true")
@ApplicationScoped
public class EventConsumption {

    public static final String UNREADABLE = "unreadable";
    public static final String FAILED = "failed";
    /** Headers the dead-letter record gets besides the connector's own (reason, exception, topic, partition, offset). */
    public static final String TIMESTAMP_HEADER = "dead-letter-timestamp";
    public static final String ATTEMPTS_HEADER = "dead-letter-attempts";
    public static final String CONSUMER_GROUP_HEADER = "dead-letter-consumer-group";
    public static final String ROOT_CAUSE_HEADER = "dead-letter-root-cause";
    public static final String PARKED_EVENT_HEADER = "dead-letter-parked-event-id";

    private static final Logger LOG = Logger.getLogger(EventConsumption.class);
    private static final String CHANNELS = "mp.messaging.incoming.";

    private final ParkedEvents parked;
    private final ConsumeConfig config;
    private final Config channels;
    private final MeterRegistry meters;
    private final Tracing tracing;

    public EventConsumption(ParkedEvents parked, ConsumeConfig config, Config channels, MeterRegistry meters,
            Tracing tracing) {
        this.parked = parked;
        this.tracing = tracing;
        this.config = config;
        this.channels = channels;
        this.meters = meters;
        for (String name : channels.getPropertyNames()) {
            if (name.startsWith(CHANNELS) && name.endsWith(".topic")) {
                String channel = name.substring(CHANNELS.length(), name.length() - ".topic".length());
                String topic = channels.getValue(name, String.class);
                channels.getOptionalValue(CHANNELS + channel + ".group.id", String.class).ifPresent(group -> {
                    parkedCounter(group, topic, UNREADABLE);
                    parkedCounter(group, topic, FAILED);
                    retriedCounter(group, topic, true);
                    retriedCounter(group, topic, false);
                });
            }
        }
    }

    private Counter parkedCounter(String group, String topic, String cause) {
        return Counter.builder("events.parked").description("Events parked: stored in parked_event and sent to the dead-letter topic")
                .tag("consumer_group", group).tag("topic", topic).tag("cause", cause).register(meters);
    }

    private Counter retriedCounter(String group, String topic, boolean passing) {
        return Counter.builder("events.retried").description("Failed attempts to apply an event that are retried")
                .tag("consumer_group", group).tag("topic", topic).tag("failure", passing ? "transient" : "deterministic")
                .register(meters);
    }

    /**
     * Handles the record of an {@code @Incoming @Blocking} method taking a {@code Message<byte[]>} of a Kafka channel
     * whose failure strategy is {@code dead-letter-queue}; the method returns what this returns. Blocks while it
     * retries.
     */
    public CompletionStage<Void> consume(Message<byte[]> message, EventHandler handler) {
        IncomingKafkaRecordMetadata<?, ?> kafka = message.getMetadata(IncomingKafkaRecordMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("Not a message of a Kafka channel"));
        @SuppressWarnings("unchecked")
        ConsumerRecord<String, byte[]> record = (ConsumerRecord<String, byte[]>) kafka.getRecord();
        String channel = kafka.getChannel();
        String group = channels.getValue(CHANNELS + channel + ".group.id", String.class);
        try {
            Failure failure = attempt(record, group, handler);
            if (failure == null) {
                return message.ack();
            }
            String deadLetterTopic = channels.getOptionalValue(CHANNELS + channel + ".dead-letter-queue.topic",
                    String.class).orElse("dead-letter-topic-" + channel);
            UUID id = park(group, record, failure, deadLetterTopic);
            parkedCounter(group, record.topic(), failure.cause()).increment();
            LOG.errorf("Parked %s-%d@%d (%s %s) after %d attempt(s) as %s: %s; it is on %s and in parked_event %s",
                    record.topic(), record.partition(), record.offset(), failure.eventType(), failure.eventId(),
                    failure.attempts(), failure.cause(), failure.reason(), deadLetterTopic, id);
            RecordHeaders headers = new RecordHeaders();
            header(headers, TIMESTAMP_HEADER, Long.toString(record.timestamp()));
            header(headers, ATTEMPTS_HEADER, Integer.toString(failure.attempts()));
            header(headers, CONSUMER_GROUP_HEADER, group);
            header(headers, ROOT_CAUSE_HEADER, failure.exceptionClass() + ": " + failure.reason());
            header(headers, PARKED_EVENT_HEADER, id.toString());
            return message.nack(failure.exception(), Metadata.of(OutgoingKafkaRecordMetadata.builder()
                    .withHeaders(headers).build()));
        } catch (InterruptedException e) {
            // Shutting down: the record stays unacknowledged, so it is consumed again after the restart.
            Thread.currentThread().interrupt();
            LOG.infof("Stopped while handling %s-%d@%d; it is consumed again after the restart", record.topic(),
                    record.partition(), record.offset());
            return new CompletableFuture<>();
        }
    }

    /**
     * Runs the handler on a parked event's stored record. A replayed event answers as it is (replayed, with the time
     * of the replay that applied it) without running the handler again.
     *
     * @throws ProblemException 404 for no such event, 422 when applying it fails again (it stays parked, with the
     *         reason), 503 when the failure is transient
     */
    public ParkedEvent replay(UUID id, EventHandler handler) {
        ParkedEvent event = parked.find(id)
                .orElseThrow(() -> new ProblemException(404, "There is no parked event " + id + "."));
        if (ParkedEvent.REPLAYED.equals(event.status())) {
            return event;
        }
        try {
            ConsumerRecord<String, byte[]> record = parked.record(id);
            try {
                replayed(handler, CloudEventRecords.read(record), record, event.consumerGroup());
            } catch (Exception e) {
                if (Failures.isTransient(e)) {
                    LOG.warnf(e, "Replay of parked event %s failed for a transient reason", id);
                    throw new ProblemException(503, "Replaying the event failed for a passing reason (its database or"
                            + " broker is unavailable); it stays parked. Retry later.", List.of(), null,
                            Map.of("Retry-After", "5"));
                }
                String reason = describe(e);
                parked.recordReplayFailure(id, reason);
                LOG.warnf(e, "Replay of parked event %s failed again: %s", id, reason);
                throw new ProblemException(422, "Applying the event failed again, so it stays parked: " + reason);
            }
            parked.markReplayed(id);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        LOG.infof("Replayed parked event %s (%s-%d@%d)", id, event.topic(), event.partition(), event.offset());
        return parked.find(id).orElseThrow();
    }

    private record Failure(String cause, Exception exception, int attempts, String eventId, String eventType) {

        String reason() {
            return Failures.rootCause(exception) == exception || exception instanceof UnreadableEventException
                    ? String.valueOf(exception.getMessage()) : String.valueOf(Failures.rootCause(exception).getMessage());
        }

        String exceptionClass() {
            return (exception instanceof UnreadableEventException ? exception : Failures.rootCause(exception)).getClass()
                    .getName();
        }
    }

    /** Null when the handler applied the event; else why it is to be parked. */
    private Failure attempt(ConsumerRecord<String, byte[]> record, String group, EventHandler handler)
            throws InterruptedException {
        CloudEvent event;
        try {
            event = CloudEventRecords.read(record);
        } catch (UnreadableEventException e) {
            return new Failure(UNREADABLE, e, 1, null, null);
        }
        // One span for every attempt at this record, so that the retries' log lines carry its ids too.
        try (Tracing.ActiveSpan span = tracing.consuming(event, record.topic(), group,
                CloudEventRecords.traceparent(event).orElse(null))) {
            Failure failure = attempts(record, group, handler, event);
            if (failure != null) {
                span.failed(failure.exception());
            }
            return failure;
        }
    }

    private Failure attempts(ConsumerRecord<String, byte[]> record, String group, EventHandler handler, CloudEvent event)
            throws InterruptedException {
        int attempts = 0;
        int failures = 0;
        int transients = 0;
        while (true) {
            attempts++;
            try {
                apply(handler, event, record);
                return null;
            } catch (UnreadableEventException e) {
                return new Failure(UNREADABLE, e, attempts, event.getId(), event.getType());
            } catch (Exception e) {
                boolean passing = Failures.isTransient(e);
                if (passing) {
                    transients++;
                } else {
                    transients = 0;
                    if (++failures >= config.maxAttempts()) {
                        return new Failure(FAILED, e, attempts, event.getId(), event.getType());
                    }
                }
                retriedCounter(group, record.topic(), passing).increment();
                Duration delay = backoff(passing ? transients : failures);
                LOG.warnf("Applying %s %s (%s-%d@%d) failed (%s, attempt %d): %s; retrying in %d ms", event.getType(),
                        event.getId(), record.topic(), record.partition(), record.offset(),
                        passing ? "transient" : "failure " + failures + " of " + config.maxAttempts(), attempts,
                        describe(e), delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }

    private static void apply(EventHandler handler, CloudEvent event, ConsumerRecord<String, byte[]> record)
            throws Exception {
        handler.handle(event, new EventHandler.Coordinates(record.topic(), record.partition(), record.offset()));
    }

    /** A replay's attempt, in a span of its own. */
    private void replayed(EventHandler handler, CloudEvent event, ConsumerRecord<String, byte[]> record, String group)
            throws Exception {
        try (Tracing.ActiveSpan span = tracing.consuming(event, record.topic(), group,
                CloudEventRecords.traceparent(event).orElse(null))) {
            try {
                apply(handler, event, record);
            } catch (Exception e) {
                span.failed(e);
                throw e;
            }
        }
    }

    /** Stores the parked record, retrying for as long as the database is away: the offset waits for it. */
    private UUID park(String group, ConsumerRecord<String, byte[]> record, Failure failure, String deadLetterTopic)
            throws InterruptedException {
        ParkedEvents.Parking parking = new ParkedEvents.Parking(group, record, failure.eventId(), failure.eventType(),
                failure.cause(), failure.reason(), failure.exceptionClass(), failure.attempts(), deadLetterTopic);
        for (int attempt = 1;; attempt++) {
            try {
                return parked.park(parking);
            } catch (SQLException | RuntimeException e) {
                Duration delay = backoff(attempt);
                LOG.errorf("Could not park %s-%d@%d (%s); retrying in %d ms", record.topic(), record.partition(),
                        record.offset(), describe(e), delay.toMillis());
                Thread.sleep(delay.toMillis());
            }
        }
    }

    /** Capped exponential backoff with jitter: the n-th wait is base × 2^(n-1), at most the cap, less up to half. */
    private Duration backoff(int attempt) {
        long cap = config.backoffCap().toMillis();
        long delay = Math.min(cap, config.backoffBase().toMillis() << Math.min(attempt - 1, 30));
        return Duration.ofMillis(delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1));
    }

    private static String describe(Throwable failure) {
        Throwable root = failure instanceof UnreadableEventException ? failure : Failures.rootCause(failure);
        return root.getClass().getName() + ": " + root.getMessage();
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}

package dev.incidentplatform.compensation.outage;

import java.nio.charset.StandardCharsets;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import io.smallrye.faulttolerance.api.ExponentialBackoff;
import org.eclipse.microprofile.faulttolerance.Retry;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

import io.smallrye.reactive.messaging.annotations.Blocking;

/**
 * Consumer group {@code compensation-service} on {@code incident-events} (read_committed, offsets committed after the
 * database transaction). An unreadable record is thrown out to the dead-letter topic with the reason; anything else
 * that fails (the database is down, a deadlock) is retried with backoff until it succeeds, holding the partition:
 * an event that was read is never dropped.
 */
@ApplicationScoped
public class IncidentEventConsumer {

    private static final Logger LOG = Logger.getLogger(IncidentEventConsumer.class);

    private final IncidentEventReader reader;
    private final IncidentEventHandler handler;
    private final IncidentEventMetrics metrics;

    public IncidentEventConsumer(IncidentEventReader reader, IncidentEventHandler handler, IncidentEventMetrics metrics) {
        this.reader = reader;
        this.handler = handler;
        this.metrics = metrics;
    }

    @Incoming("incident-events")
    @Blocking
    @Retry(maxRetries = -1, delay = 200, maxDuration = 0, abortOn = UnreadableEventException.class)
    @ExponentialBackoff(maxDelay = 30, maxDelayUnit = ChronoUnit.SECONDS)
    public void consume(ConsumerRecord<String, String> record) throws Exception {
        Optional<IncidentEvent> event;
        try {
            event = reader.read(header(record, "ce_type"), record.value());
        } catch (UnreadableEventException e) {
            LOG.warnf("Unreadable record %s-%d@%d: %s (to the dead-letter topic)", record.topic(), record.partition(),
                    record.offset(), e.getMessage());
            metrics.count(IncidentEventMetrics.Outcome.UNREADABLE);
            throw e;
        }
        if (event.isEmpty()) {
            metrics.count(IncidentEventMetrics.Outcome.UNKNOWN_TYPE);
            LOG.debugf("Skipped record %s-%d@%d of unknown type", record.topic(), record.partition(), record.offset());
            return;
        }
        try {
            handler.apply(event.get(), record.topic(), record.partition(), record.offset());
        } catch (Exception e) {
            LOG.warnf(e, "Applying event %s failed; retrying", event.get().eventId());
            metrics.count(IncidentEventMetrics.Outcome.RETRIED);
            throw e;
        }
    }

    private static String header(ConsumerRecord<String, String> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}

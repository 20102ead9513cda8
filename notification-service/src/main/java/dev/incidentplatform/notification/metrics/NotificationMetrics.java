package dev.incidentplatform.notification.metrics;

import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.runtime.Startup;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import dev.incidentplatform.notification.consume.EventReader;

/**
 * Every application meter, each with its HELP text, registered when the service starts: a counter is at 0 until its
 * first event instead of missing (an alert on "failed > 0" or on a rate must see the series from the start). Tag values
 * are bounded: the topics this service reads and the event types it knows.
 */
@Startup
@ApplicationScoped
public class NotificationMetrics {

    public static final List<String> TOPICS = List.of("incident-events", "credit-events");

    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter failed;
    private final Counter retried;
    private final Counter coalesced;
    private final Counter cancelled;
    private final Timer deliveryLag;
    private final Timer fanoutLag;

    public NotificationMetrics(MeterRegistry registry) {
        this.registry = registry;
        sent = Counter.builder("notification.deliveries.sent").description("Emails sent (each may cover coalesced notices)")
                .register(registry);
        failed = Counter.builder("notification.deliveries.failed")
                .description("Deliveries given up: a permanent SMTP refusal, attempts used up, or a notice that cannot be rendered")
                .register(registry);
        retried = Counter.builder("notification.deliveries.retried")
                .description("Sends that failed transiently (4yz, no answer, timeout) and were scheduled again").register(registry);
        coalesced = Counter.builder("notification.deliveries.coalesced")
                .description("Notices that rode along in another email of the same incident thread").register(registry);
        cancelled = Counter.builder("notification.deliveries.cancelled")
                .description("Deliveries cancelled because their subscriber unsubscribed or was deleted").register(registry);
        deliveryLag = Timer.builder("notification.delivery.lag")
                .description("From the event's occurrence to its email being sent").register(registry);
        fanoutLag = Timer.builder("notification.fanout.lag")
                .description("From the event's occurrence to its deliveries being recorded").register(registry);
        for (String topic : TOPICS) {
            unreadableCounter(topic);
            skippedCounter(topic);
        }
        for (String type : EventReader.KNOWN_TYPES) {
            appliedCounter(type);
            duplicatesCounter(type);
        }
    }

    public void sent(int coveredNotices, Duration lag) {
        sent.increment();
        coalesced.increment(coveredNotices);
        deliveryLag.record(lag);
    }

    public void failed() {
        failed.increment();
    }

    public void retried() {
        retried.increment();
    }

    public void cancelled(int deliveries) {
        if (deliveries > 0) {
            cancelled.increment(deliveries);
        }
    }

    public void unreadable(String topic) {
        unreadableCounter(topic).increment();
    }

    public void skipped(String topic) {
        skippedCounter(topic).increment();
    }

    public void applied(String type, Duration lag) {
        appliedCounter(type).increment();
        fanoutLag.record(lag);
    }

    public void duplicate(String type) {
        duplicatesCounter(type).increment();
    }

    private Counter unreadableCounter(String topic) {
        return Counter.builder("notification.events.unreadable").tag("topic", topic)
                .description("Records that are not a readable event; moved to <topic>.notification-service.dlq").register(registry);
    }

    private Counter skippedCounter(String topic) {
        return Counter.builder("notification.events.skipped").tag("topic", topic)
                .description("Records of an event type or schema version this service does not handle").register(registry);
    }

    private Counter appliedCounter(String type) {
        return Counter.builder("notification.events.applied").tag("type", type)
                .description("Events turned into notices and deliveries").register(registry);
    }

    private Counter duplicatesCounter(String type) {
        return Counter.builder("notification.events.duplicates").tag("type", type)
                .description("Events received again (already in the inbox); nothing was done").register(registry);
    }
}

package dev.incidentplatform.notification.metrics;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.channel.Channel;
import dev.incidentplatform.notification.domain.event.NotificationEvent;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.arc.All;
import io.quarkus.runtime.Startup;

/**
 * Every application meter, each with its HELP text, registered when the service starts: a counter is at 0 until its
 * first event instead of missing (an alert on "failed > 0" or on a rate must see the series from the start). Tag values
 * are bounded: the event types it knows, and the channels this instance has (a {@link Channel} bean each). The
 * consumption's own meters (events.parked, events.retried) are the platform's.
 */
@Startup
@ApplicationScoped
public class NotificationMetrics {

    private final MeterRegistry registry;
    private final Map<String, ChannelMeters> channels = new ConcurrentHashMap<>();
    private final Counter skipped;
    private final Timer fanoutLag;

    private record ChannelMeters(Counter sent, Counter failed, Counter retried, Counter coalesced, Counter cancelled,
            Timer deliveryLag) {
    }

    public NotificationMetrics(MeterRegistry registry, @All List<Channel> channelBeans) {
        this.registry = registry;
        skipped = Counter.builder("notification.events.skipped")
                .description("Events of a type this service does not read, passed over as the contracts ask").register(registry);
        fanoutLag = Timer.builder("notification.fanout.lag")
                .description("From the event's occurrence to its deliveries being recorded").register(registry);
        for (Channel channel : channelBeans) {
            meters(channel.name());
        }
        for (String type : NotificationEvent.TYPES) {
            appliedCounter(type);
            duplicatesCounter(type);
        }
    }

    /** One delivery went out on {@code channel}, carrying {@code coveredNotices} notices besides its own. */
    public void sent(String channel, int coveredNotices, Duration lag) {
        ChannelMeters meters = meters(channel);
        meters.sent().increment();
        meters.coalesced().increment(coveredNotices);
        meters.deliveryLag().record(lag);
    }

    public void failed(String channel) {
        meters(channel).failed().increment();
    }

    public void retried(String channel) {
        meters(channel).retried().increment();
    }

    public void cancelled(String channel, int deliveries) {
        if (deliveries > 0) {
            meters(channel).cancelled().increment(deliveries);
        }
    }

    public void applied(String type, Duration lag) {
        appliedCounter(type).increment();
        fanoutLag.record(lag);
    }

    public void duplicate(String type) {
        duplicatesCounter(type).increment();
    }

    /** An event of a type this service does not read; the type is whatever the producer wrote, so it is not a tag. */
    public void skipped(String type) {
        skipped.increment();
    }

    private ChannelMeters meters(String channel) {
        return channels.computeIfAbsent(channel, name -> new ChannelMeters(
                Counter.builder("notification.deliveries.sent").tag("channel", name)
                        .description("Deliveries sent (each may cover coalesced notices)").register(registry),
                Counter.builder("notification.deliveries.failed").tag("channel", name)
                        .description("Deliveries given up: a permanent refusal, attempts used up, or a notice that cannot be rendered")
                        .register(registry),
                Counter.builder("notification.deliveries.retried").tag("channel", name)
                        .description("Sends that failed transiently (SMTP 4yz, HTTP 5xx or 429, no answer, timeout) and were"
                                + " scheduled again")
                        .register(registry),
                Counter.builder("notification.deliveries.coalesced").tag("channel", name)
                        .description("Notices that rode along in another delivery of the same incident thread").register(registry),
                Counter.builder("notification.deliveries.cancelled").tag("channel", name)
                        .description("Deliveries cancelled because their recipient unsubscribed, was deleted or is gone")
                        .register(registry),
                Timer.builder("notification.delivery.lag").tag("channel", name)
                        .description("From the event's occurrence to its delivery being sent").register(registry)));
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

package dev.incidentplatform.notification.support;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.channel.Channel;
import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Failure;
import dev.incidentplatform.notification.channel.Outcomes;

/**
 * Test-only second channel ({@value #NAME}), so that the tests see what the pipeline gives any channel: it records
 * every attempt (the delivery as handed over, and when), and answers each as its recipient's script says: sent, or a
 * failure of any kind, possibly after blocking (a slow send). Its recipients are rows of {@code test_channel_recipient}
 * (test migration V901), which the {@code recipient} view includes.
 */
@ApplicationScoped
public class RecordingChannel implements Channel {

    public static final String NAME = "recording";

    /** How the other side answers one attempt: null when it accepted the delivery. */
    @FunctionalInterface
    public interface Script {
        Failure answer(Delivery delivery, int attempt) throws InterruptedException;
    }

    /** One attempt the pipeline made, and how it was answered (null: sent). */
    public record Attempt(Delivery delivery, Instant startedAt, Instant answeredAt, Failure failure) {
    }

    private final Map<UUID, List<Attempt>> attempts = new ConcurrentHashMap<>();
    private final Map<UUID, Script> scripts = new ConcurrentHashMap<>();

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public void send(List<Delivery> batch, Outcomes outcomes) {
        for (Delivery delivery : batch) {
            List<Attempt> ofRecipient = attempts.computeIfAbsent(delivery.recipientId(), id -> new CopyOnWriteArrayList<>());
            Instant started = Instant.now();
            Failure failure;
            try {
                failure = scripts.getOrDefault(delivery.recipientId(), (d, n) -> null).answer(delivery, ofRecipient.size() + 1);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                failure = Failure.transientFailure("interrupted");
            } catch (RuntimeException e) {
                // A channel that breaks: the pipeline must retry what it did not report.
                ofRecipient.add(new Attempt(delivery, started, Instant.now(), Failure.transientFailure("threw " + e)));
                throw e;
            }
            ofRecipient.add(new Attempt(delivery, started, Instant.now(), failure));
            if (failure == null) {
                outcomes.sent(delivery);
            } else {
                outcomes.failed(delivery, failure);
            }
        }
    }

    /** From now on, attempts for {@code recipientId} are answered by {@code script}. */
    public void script(UUID recipientId, Script script) {
        scripts.put(recipientId, script);
    }

    public List<Attempt> attempts(UUID recipientId) {
        return List.copyOf(attempts.getOrDefault(recipientId, List.of()));
    }
}

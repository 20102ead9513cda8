package dev.incidentplatform.notification.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The service's own settings ({@code notification.*}); SMTP itself is {@code quarkus.mailer.*}. */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

    /** Where people reach this service from their mail (unsubscribe links): HTTPS, except on a loopback host. */
    String publicBaseUrl();

    Mail mail();

    Unsubscribe unsubscribe();

    Senders senders();

    Retry retry();

    interface Mail {
        /** The right-hand side of the Message-IDs this service makes. */
        @WithDefault("incident-platform.local")
        String messageIdDomain();

        Optional<String> replyTo();

        /**
         * The longest one SMTP send may take before it counts as failed (and is retried). At most half the sender
         * lease, so a batch's lease, renewed between sends, cannot run out during one.
         */
        @WithDefault("PT30S")
        Duration sendTimeout();
    }

    interface Unsubscribe {
        /** The HMAC-SHA256 key (at least 32 bytes) that signs unsubscribe links. Required; no default in prod. */
        String key();

        @WithDefault("1")
        String keyId();

        /** The key that signed links mailed before a key change, so they keep working for a while. */
        Optional<String> previousKey();

        Optional<String> previousKeyId();
    }

    interface Senders {
        /** Sender threads per instance; each holds at most one SMTP send in flight. */
        @WithDefault("4")
        int poolSize();

        /** Deliveries a sender claims at once. */
        @WithDefault("10")
        int batchSize();

        /** How long a claim holds a delivery; after that (its sender died) another sender may take it. */
        @WithDefault("PT60S")
        Duration lease();

        /** How often an idle sender looks for due work that no signal announced (retries, other instances' fan-outs). */
        @WithDefault("PT0.5S")
        Duration pollInterval();
    }

    interface Retry {
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("PT2S")
        Duration base();

        @WithDefault("PT10M")
        Duration cap();
    }
}

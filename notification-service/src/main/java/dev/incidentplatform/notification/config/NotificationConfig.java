package dev.incidentplatform.notification.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The service's own settings ({@code notification.*}); SMTP itself is {@code quarkus.mailer.*}. */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

    /** Where people reach this service from their mail (unsubscribe links): HTTPS, except on a loopback host. */
    String publicBaseUrl();

    Mail mail();

    Unsubscribe unsubscribe();

    Senders senders();

    Retry retry();

    /** {@code notification.import.*}: the bounds of one subscriber import (its size is platform.http.body-limits). */
    @WithName("import")
    SubscriberImport subscriberImport();

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

        /** How often one client address may call GET or POST /unsubscribe (in memory, per instance). */
        RateLimit rateLimit();
    }

    interface RateLimit {
        /** Requests per window and client address; the next one is 429 with Retry-After until the window ends. */
        @WithDefault("20")
        int requests();

        @WithDefault("PT1M")
        Duration window();

        /** Client addresses remembered at once; beyond that the oldest windows are forgotten first. */
        @WithDefault("100000")
        int maxClients();
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

    interface SubscriberImport {
        /** Data lines one import may have (the header not counted); more is 413 and nothing is imported. */
        @WithDefault("1000000")
        long maxRows();
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

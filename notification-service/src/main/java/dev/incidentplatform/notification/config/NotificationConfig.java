package dev.incidentplatform.notification.config;

import java.time.Duration;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import io.smallrye.config.WithName;

/** The service's own settings ({@code notification.*}); SMTP itself is {@code quarkus.mailer.*}. */
@ConfigMapping(prefix = "notification")
public interface NotificationConfig {

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

        /** Where replies to a notice go ({@code Reply-To}); unset: to the sender, {@code quarkus.mailer.from}. */
        Optional<String> replyTo();

        /**
         * The RFC 2919 {@code List-Id} of every notice, by which mail clients file and filter them; unset:
         * {@code Service status <status.{message-id-domain}>}.
         */
        Optional<String> listId();

        /** The longest one SMTP send may take before it counts as failed (and is retried). */
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
        /**
         * Sender threads per instance. Each claims a batch and hands it to its channel, which sends it from this thread
         * (the email channel: one SMTP send at a time per thread, over one kept-open connection).
         */
        @WithDefault("4")
        int poolSize();

        /**
         * Deliveries a sender claims at once (one claim transaction, one recipient query of the channel). Most of a
         * claim's cost in the database is per claim, not per row, so fewer, larger claims cost it far less in a
         * fan-out: 100 instead of 25 took PostgreSQL from 1.2 cores to 0.4 and a 40 000-mail fan-out from 670 to
         * 1 054 mails/s (benchmarks/RESULTS.md). Unsent rows of a batch go back at once on
         * shutdown or within a lease after a crash, so the size does not bound repeats.
         */
        @WithDefault("100")
        int batchSize();

        /**
         * How long a claim or a heartbeat holds a delivery. A live instance renews the leases of every delivery it holds
         * each {@link #heartbeat()}, however long one send takes; once it dies they run out, and any instance's sweep
         * makes them pending again: a killed instance's rows are taken over within lease + heartbeat.
         */
        @WithDefault("PT5S")
        Duration lease();

        /**
         * How often an instance renews its leases and sweeps the expired leases of others. At most a third of the
         * lease, so that two late heartbeats in a row do not lose one.
         */
        @WithDefault("PT1S")
        Duration heartbeat();

        /** How often an idle sender looks for due work that no signal announced (retries, other instances' fan-outs). */
        @WithDefault("PT0.5S")
        Duration pollInterval();

        /**
         * Outcomes written in one transaction (one UPDATE per kind): a batch is written when this many wait or the
         * oldest has waited {@link #outcomeFlushInterval()}. While one batch is written the next fills up to the same
         * size and then senders wait, so at most twice this many outcomes are ever unrecorded: after a crash, at most
         * those sends plus the ones in flight (one per sender thread) are repeated.
         */
        @WithDefault("50")
        int outcomeBatchSize();

        @WithDefault("PT0.2S")
        Duration outcomeFlushInterval();
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

        /**
         * The longest wait a recipient may ask for (an HTTP Retry-After) and still be retried: one asking for more is
         * given up on (failed, with its reply), rather than holding a notice that would be stale by then.
         */
        @WithDefault("PT1H")
        Duration maxRetryAfter();
    }
}

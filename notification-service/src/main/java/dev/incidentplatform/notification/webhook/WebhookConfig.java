package dev.incidentplatform.notification.webhook;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Webhook endpoints and their channel ({@code notification.webhooks.*}). */
@ConfigMapping(prefix = "notification.webhooks")
public interface WebhookConfig {

    /**
     * The base64 of 32 random bytes: the AES-256-GCM key the signing secrets are stored under. Required (no default
     * in prod); changing it makes the stored secrets unreadable, so endpoints would have to be created again.
     */
    String encryptionKey();

    /**
     * Host names (exact), IP addresses and CIDR ranges that may be called although they are not public addresses,
     * and over plain http; empty: public https endpoints only.
     */
    Optional<List<String>> allowHosts();

    /** How long one connection attempt may take. */
    @WithDefault("PT5S")
    Duration connectTimeout();

    /**
     * How long a request may wait for the response's head (and, after it, for at most 4 KB of its body). Batches go
     * out concurrently; keep it well below the pipeline's lease.
     */
    @WithDefault("PT10S")
    Duration requestTimeout();

    /** Requests in flight to one host at once, from this instance. */
    @WithDefault("8")
    int maxConcurrencyPerHost();

    /** Requests in flight at once, from this instance. */
    @WithDefault("64")
    int maxConcurrency();

    /** The longest Retry-After (429, 5xx) honoured; a longer one is cut to this. */
    @WithDefault("PT1H")
    Duration retryAfterCap();

    /** An endpoint without a successful delivery for this long (since its first failure) is disabled. */
    @WithDefault("PT24H")
    Duration failingPeriod();

    /** After a rotation, the previous secret signs too for this long. */
    @WithDefault("PT24H")
    Duration previousSecretValidity();

    /** How often the mails to the contacts of disabled endpoints that could not be sent yet are tried again. */
    @WithDefault("PT1M")
    Duration contactSweepInterval();
}

package dev.incidentplatform.platform.idempotency;

import java.time.Duration;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** How long the first answer to an Idempotency-Key is kept for retries. */
@ConfigMapping(prefix = "platform.idempotency")
public interface IdempotencyConfig {

    /** A retry later than this is a new request: its key may be used again. */
    @WithDefault("P1D")
    Duration retention();
}

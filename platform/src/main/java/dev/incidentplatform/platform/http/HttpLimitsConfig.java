package dev.incidentplatform.platform.http;

import java.util.Map;

import io.quarkus.runtime.configuration.MemorySize;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * Limits every request meets before any application code runs. Each is answered with problem+json: 414, 431, 413.
 * Netty's own (larger) limits, {@code quarkus.http.limits.max-initial-line-length} and {@code max-header-size}, stay
 * behind these as a last resort; what exceeds them is refused by Vert.x with the status alone.
 */
@ConfigMapping(prefix = "platform.http")
public interface HttpLimitsConfig {

    /** The request target (path and query), in bytes. */
    @WithDefault("8192")
    int maxUrlLength();

    /** All request header names and values, in bytes. */
    @WithDefault("16384")
    int maxHeaderBytes();

    /** The body limit of every path not listed in {@link #bodyLimits()}. */
    @WithDefault("256K")
    MemorySize bodyLimit();

    /**
     * How long a connection may take to send the head (request line and headers) of its first request before it gets
     * 408 and is closed (see {@link RequestHeadDeadline}); 0 turns the deadline off.
     */
    @WithDefault("PT10S")
    java.time.Duration requestHeadTimeout();

    /** Larger (or smaller) body limits by path, e.g. {@code platform.http.body-limits."/api/contracts/import"=2G}. */
    Map<String, MemorySize> bodyLimits();
}

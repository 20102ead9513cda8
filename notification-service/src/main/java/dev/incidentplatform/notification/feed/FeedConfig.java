package dev.incidentplatform.notification.feed;

import java.time.Duration;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** {@code notification.feeds.*}: the public feeds of incidents (Atom, RSS, JSON Feed) at {@code /feeds}. */
@ConfigMapping(prefix = "notification.feeds")
public interface FeedConfig {

    /**
     * Entries one feed shows, newest first. Bounded so that a response stays a size feed readers handle (JSON Feed
     * suggests well under 1 MB; an entry's message may be 10 000 characters).
     */
    @WithDefault("50")
    @Min(1)
    @Max(500)
    int maxEntries();

    /** How long a client or shared cache may reuse a feed without asking again ({@code Cache-Control: public, max-age}). */
    @WithDefault("PT60S")
    Duration maxAge();

    /** The feed's title, shown by readers as its name. */
    @WithDefault("Service status: incidents")
    @NotBlank
    String title();

    @WithDefault("Incidents, their updates and post-incident reviews, newest first.")
    @NotBlank
    String description();

    /** Who publishes the feed: Atom requires an author, JSON Feed names it too (RSS would need an e-mail address). */
    @WithDefault("Service status")
    @NotBlank
    String author();
}

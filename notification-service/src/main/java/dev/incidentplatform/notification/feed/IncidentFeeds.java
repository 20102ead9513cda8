package dev.incidentplatform.notification.feed;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.links.PublicPages;

/** The feeds of incidents, each written whole in its format with the validators that describe exactly those bytes. */
@ApplicationScoped
public class IncidentFeeds {

    /** A feed's three formats: where each is published and what it is. */
    enum Format {
        ATOM("incidents.atom", AtomFeed.MEDIA_TYPE),
        RSS("incidents.rss", RssFeed.MEDIA_TYPE),
        JSON("incidents.json", JsonFeed.MEDIA_TYPE);

        final String fileName;
        final String mediaType;

        Format(String fileName, String mediaType) {
            this.fileName = fileName;
            this.mediaType = mediaType;
        }

        /** What the Content-Type header says: every format is UTF-8. */
        String contentType() {
            return mediaType + "; charset=utf-8";
        }
    }

    /**
     * One feed as it leaves the service.
     *
     * @param etag strong (RFC 9110 §8.8.3): a digest of the body itself, so that two responses share it exactly when
     *        they are the same bytes, whatever made them differ (an entry, the filter, the format, the configuration)
     * @param lastModified when the latest of its entries was recorded; empty for a feed with none
     */
    record Written(byte[] body, String etag, Optional<Instant> lastModified) {
    }

    private final FeedStore store;
    private final PublicPages pages;
    private final FeedConfig config;
    private final ObjectMapper mapper;

    public IncidentFeeds(FeedStore store, PublicPages pages, FeedConfig config, ObjectMapper mapper) {
        this.store = store;
        this.pages = pages;
        this.config = config;
        this.mapper = mapper;
    }

    Written write(Format format, FeedFilter filter) {
        Feed feed = feed(format, filter);
        byte[] body = switch (format) {
            case ATOM -> AtomFeed.write(feed);
            case RSS -> RssFeed.write(feed, config.maxAge());
            case JSON -> json(feed);
        };
        return new Written(body, etag(body), feed.updated());
    }

    Feed feed(Format format, FeedFilter filter) {
        List<FeedEntry> entries = store.newest(filter, config.maxEntries()).stream()
                .map(stored -> new FeedEntry(stored.eventId(), stored.occurredAt(), stored.recordedAt(), stored.notice(),
                        pages.incident(stored.notice().incidentId())))
                .toList();
        return new Feed(config.title(), config.description(), config.author(), pages.feed(format.fileName) + filter.query(),
                pages.home(), entries);
    }

    private byte[] json(Feed feed) {
        try {
            return mapper.writeValueAsBytes(JsonFeed.of(feed));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("The JSON feed could not be written", e);
        }
    }

    /** 128 bits of the body's SHA-256, base64url, quoted. */
    static String etag(byte[] body) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(body);
            return "\"" + Base64.getUrlEncoder().withoutPadding().encodeToString(Arrays.copyOf(digest, 16)) + "\"";
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
    }
}

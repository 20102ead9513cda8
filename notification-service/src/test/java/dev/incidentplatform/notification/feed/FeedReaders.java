package dev.incidentplatform.notification.feed;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.rometools.rome.feed.WireFeed;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.io.FeedException;
import com.rometools.rome.io.WireFeedInput;
import com.rometools.rome.io.XmlReader;

/**
 * Reads the feeds back as a reader would, with implementations this project did not write: ROME for Atom and RSS
 * (as parsed, not as ROME would normalise them), and for JSON Feed a JSON Schema written from the 1.1 spec
 * ({@code feed/jsonfeed-1.1.schema.json}) checked by networknt's validator.
 */
final class FeedReaders {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String SCHEMA_ID = "https://feeds.incident-platform.test/jsonfeed-1.1.schema.json";
    private static final Schema JSON_FEED = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
            .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
            .schemas(id -> SCHEMA_ID.equals(id) ? resource("feed/jsonfeed-1.1.schema.json") : null))
            .getSchema(SchemaLocation.of(SCHEMA_ID));

    private FeedReaders() {
    }

    /** ROME's Atom model; named in full, as this package has a Feed of its own. */
    static com.rometools.rome.feed.atom.Feed atom(byte[] body) {
        WireFeed feed = wire(body);
        if (!(feed instanceof com.rometools.rome.feed.atom.Feed atom)) {
            throw new AssertionError("Not read as Atom but as " + feed.getFeedType());
        }
        return atom;
    }

    static Channel rss(byte[] body) {
        WireFeed feed = wire(body);
        if (!(feed instanceof Channel rss) || !"rss_2.0".equals(feed.getFeedType())) {
            throw new AssertionError("Not read as RSS 2.0 but as " + feed.getFeedType());
        }
        return rss;
    }

    /** The JSON Feed's tree, after it passed the spec's schema (an AssertionError lists what it broke). */
    static JsonNode jsonFeed(byte[] body) {
        List<Error> errors = JSON_FEED.validate(new String(body, StandardCharsets.UTF_8), InputFormat.JSON);
        if (!errors.isEmpty()) {
            throw new AssertionError("Not a JSON Feed 1.1: " + errors.stream()
                    .map(error -> error.getInstanceLocation() + ": " + error.getMessage()).toList());
        }
        try {
            return JSON.readTree(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static WireFeed wire(byte[] body) {
        try {
            WireFeedInput input = new WireFeedInput();
            return input.build(new XmlReader(new ByteArrayInputStream(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (FeedException e) {
            throw new AssertionError("ROME cannot read the feed: " + e.getMessage(), e);
        }
    }

    private static String resource(String name) {
        try (InputStream in = FeedReaders.class.getClassLoader().getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("No " + name + " on the test classpath");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

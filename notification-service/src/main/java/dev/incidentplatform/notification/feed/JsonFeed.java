package dev.incidentplatform.notification.feed;

import java.util.List;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

import dev.incidentplatform.notification.domain.Component;

/**
 * JSON Feed 1.1 (https://www.jsonfeed.org/version/1.1/) as Jackson writes it: the spec's field names, {@code version}
 * first, absent fields left out. Each item also carries {@code _incident}, an extension object (the spec's
 * underscore prefix: readers that do not know it ignore it) with the entry's structured state for chat integrations.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({ "version", "title", "home_page_url", "feed_url", "description", "language", "authors", "items" })
@Schema(name = "JsonFeed", description = "A JSON Feed 1.1 of incidents and their updates, newest first")
public record JsonFeed(
        @Schema(required = true, enumeration = JsonFeed.VERSION) String version,
        @Schema(required = true) String title,
        @JsonProperty("home_page_url") @Schema(required = true, format = "uri", description = "The status page")
        String homePageUrl,
        @JsonProperty("feed_url") @Schema(required = true, format = "uri", description = "This feed, with its filter")
        String feedUrl,
        @Schema(required = true) String description,
        @Schema(required = true, enumeration = "en") String language,
        @Schema(required = true) List<Author> authors,
        @Schema(required = true, description = "Newest first") List<Item> items) {

    static final String VERSION = "https://jsonfeed.org/version/1.1";
    static final String MEDIA_TYPE = "application/feed+json";

    @Schema(name = "JsonFeedAuthor")
    public record Author(@Schema(required = true) String name) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonPropertyOrder({ "id", "url", "title", "summary", "content_text", "content_html", "date_published", "tags", "_incident" })
    @Schema(name = "JsonFeedItem", description = "One incident notice: an opening, an update or a post-incident review")
    public record Item(
            @Schema(required = true, description = "urn:uuid: and the event's id: the same entry always has the same id")
            String id,
            @Schema(required = true, format = "uri", description = "The incident's public page") String url,
            @Schema(required = true, description = "[severity] title — status") String title,
            @Schema(required = true) String summary,
            @JsonProperty("content_text") @Schema(required = true) String contentText,
            @JsonProperty("content_html") @Schema(required = true, description = "The same as HTML; all text in it escaped")
            String contentHtml,
            @JsonProperty("date_published") @Schema(required = true, format = "date-time", description = "When it happened (RFC 3339)")
            String datePublished,
            @Schema(required = true, description = "The affected services") List<String> tags,
            @JsonProperty("_incident") @Schema(required = true) Incident incident) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @Schema(name = "JsonFeedIncident", description = "Extension object: the incident's state as of this entry")
    public record Incident(
            @JsonProperty("incident_id") @Schema(required = true) UUID incidentId,
            @JsonProperty("event_type") @Schema(required = true,
                    enumeration = { "incident-opened", "update-posted", "review-published" }) String eventType,
            @Schema(nullable = true, description = "SEV1 to SEV4; absent when the opening was never seen") String severity,
            @Schema(required = true, enumeration = { "investigating", "identified", "monitoring", "resolved" }) String status,
            @Schema(required = true) List<AffectedComponent> components) {
    }

    @Schema(name = "JsonFeedComponent")
    public record AffectedComponent(@Schema(required = true) String service, @Schema(required = true) List<String> regions,
            @Schema(required = true) String status) {

        static AffectedComponent of(Component component) {
            return new AffectedComponent(component.service(), component.regions(), component.status());
        }
    }

    static JsonFeed of(Feed feed) {
        List<Item> items = feed.entries().stream().map(entry -> new Item("urn:uuid:" + entry.eventId(), entry.url(),
                entry.headline(), EntryContent.summary(entry), EntryContent.text(entry), EntryContent.html(entry),
                Feed.rfc3339(entry.occurredAt()), entry.services(),
                new Incident(entry.notice().incidentId(), entry.notice().eventType(), entry.notice().severity(),
                        entry.notice().status(), entry.notice().components().stream().map(AffectedComponent::of).toList())))
                .toList();
        return new JsonFeed(VERSION, feed.title(), feed.homeUrl(), feed.selfUrl(), feed.description(), "en",
                List.of(new Author(feed.author())), items);
    }
}

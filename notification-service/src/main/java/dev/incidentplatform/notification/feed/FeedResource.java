package dev.incidentplatform.notification.feed;

import java.util.Date;
import java.util.List;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.Explode;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterStyle;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * The public feeds of incidents, for feed readers and chat integrations: no login, the same entries in three formats,
 * cacheable (ETag, Last-Modified, conditional GET, {@code Cache-Control: public}). Readers that ask only for XML
 * ({@code application/xml}, {@code text/xml}) or JSON ({@code application/json}) get the feed all the same, labelled
 * with its own type.
 */
@Path("/feeds")
@PermitAll
@Tag(name = "Feeds", description = "Public feeds of incidents and their updates (Atom, RSS, JSON Feed); no login")
public class FeedResource {

    static final String SERVICE_DESCRIPTION = "Only entries about these services (comma-separated, given once; absent: every"
            + " service), each a service id (^[a-z0-9][a-z0-9._-]{0,63}$), at most 100. An entry matches when one of its"
            + " components is in a listed service and in a listed region or global: the rule subscribers' notices follow";
    static final String REGION_DESCRIPTION = "Only entries about these regions (comma-separated, given once; absent: every"
            + " region), each a region id (^[a-z0-9][a-z0-9-]{0,63}$), at most 100. A component in region global matches"
            + " every region; region=global alone: only what affects every region";
    static final String ETAG_DESCRIPTION = "Strong; a digest of the body: the same only for the same bytes (for If-None-Match)";
    static final String LAST_MODIFIED_DESCRIPTION = "When the latest entry joined the feed (for If-Modified-Since); absent"
            + " when the feed has no entry";
    static final String CACHE_CONTROL_DESCRIPTION = "public, max-age=<notification.feeds.max-age in seconds>";
    static final String NOT_MODIFIED = "Not modified: If-None-Match names this feed's ETag (or, without If-None-Match,"
            + " If-Modified-Since is not before Last-Modified). No body";
    static final String BAD_REQUEST = "A parameter other than service and region, one given twice or empty, a value that"
            + " is not a service or region id, or an If-None-Match/If-Match that is not a list of entity tags";
    static final String PRECONDITION_FAILED = "If-Match names another ETag, or the feed changed after If-Unmodified-Since";

    static final String ATOM_EXAMPLE = """
            <?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en">\
            <id>https://status.example.com/feeds/incidents.atom?service=teams</id>\
            <title type="text">Service status: incidents</title><updated>2024-07-19T05:12:40.000Z</updated>\
            <author><name>Service status</name></author>\
            <link rel="self" type="application/atom+xml" href="https://status.example.com/feeds/incidents.atom?service=teams"/>\
            <link rel="alternate" type="text/html" href="https://status.example.com/"/>\
            <entry><id>urn:uuid:6f1c2a4e-93b0-4d5e-8a7f-1b2c3d4e5f60</id>\
            <title type="text">[SEV1] Teams sign-in failures — Identified</title>\
            <updated>2024-07-19T05:12:38.000Z</updated><published>2024-07-19T05:12:38.000Z</published>\
            <link rel="alternate" type="text/html" href="https://status.example.com/incidents/3f2c8a4e-0b1d-4c6e-9a7f-2d5e8b1c4a90"/>\
            <category term="teams"/><summary type="text">A faulty configuration change was found.</summary>\
            <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p><strong>Identified</strong> · SEV1 · \
            incident #3f2c8a4e</p><p>A faulty configuration change was found.</p><p>Affected components:</p>\
            <ul><li>teams (eu-west): Major outage</li></ul></div></content></entry></feed>""";
    static final String RSS_EXAMPLE = """
            <?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom"><channel>\
            <title>Service status: incidents</title><link>https://status.example.com/</link>\
            <description>Incidents, their updates and post-incident reviews, newest first.</description>\
            <language>en</language><lastBuildDate>Fri, 19 Jul 2024 05:12:40 GMT</lastBuildDate><ttl>1</ttl>\
            <atom:link href="https://status.example.com/feeds/incidents.rss" rel="self" type="application/rss+xml"/>\
            <item><title>[SEV1] Teams sign-in failures — Identified</title>\
            <link>https://status.example.com/incidents/3f2c8a4e-0b1d-4c6e-9a7f-2d5e8b1c4a90</link>\
            <guid isPermaLink="false">urn:uuid:6f1c2a4e-93b0-4d5e-8a7f-1b2c3d4e5f60</guid>\
            <pubDate>Fri, 19 Jul 2024 05:12:38 GMT</pubDate><category>teams</category>\
            <description>&lt;p&gt;&lt;strong&gt;Identified&lt;/strong&gt; · SEV1 · incident #3f2c8a4e&lt;/p&gt;…</description>\
            </item></channel></rss>""";
    static final String JSON_EXAMPLE = """
            {"version":"https://jsonfeed.org/version/1.1","title":"Service status: incidents",\
            "home_page_url":"https://status.example.com/",\
            "feed_url":"https://status.example.com/feeds/incidents.json?region=eu-west",\
            "description":"Incidents, their updates and post-incident reviews, newest first.","language":"en",\
            "authors":[{"name":"Service status"}],"items":[{"id":"urn:uuid:6f1c2a4e-93b0-4d5e-8a7f-1b2c3d4e5f60",\
            "url":"https://status.example.com/incidents/3f2c8a4e-0b1d-4c6e-9a7f-2d5e8b1c4a90",\
            "title":"[SEV1] Teams sign-in failures — Identified","summary":"A faulty configuration change was found.",\
            "content_text":"Identified · SEV1 · incident #3f2c8a4e\\n\\nA faulty configuration change was found.\\n\\n\
            Affected components:\\n- teams (eu-west): Major outage",\
            "content_html":"<p><strong>Identified</strong> · SEV1 · incident #3f2c8a4e</p>\
            <p>A faulty configuration change was found.</p><p>Affected components:</p><ul><li>teams (eu-west): Major outage</li></ul>",\
            "date_published":"2024-07-19T05:12:38.000Z","tags":["teams"],\
            "_incident":{"incident_id":"3f2c8a4e-0b1d-4c6e-9a7f-2d5e8b1c4a90","event_type":"update-posted",\
            "severity":"SEV1","status":"identified","components":[{"service":"teams","regions":["eu-west"],\
            "status":"major_outage"}]}}]}""";

    private final IncidentFeeds feeds;
    private final FeedConfig config;

    public FeedResource(IncidentFeeds feeds, FeedConfig config) {
        this.feeds = feeds;
        this.config = config;
    }

    @GET
    @Path("incidents.atom")
    @Produces({ AtomFeed.MEDIA_TYPE, MediaType.APPLICATION_XML, MediaType.TEXT_XML })
    @SecurityRequirements
    @Operation(operationId = "getIncidentFeedAtom", summary = "The feed of incidents and their updates as Atom 1.0 (RFC 4287)",
            description = "Newest first, at most notification.feeds.max-entries entries (default 50): one per opening, update"
                    + " and post-incident review; credits never appear. Entry ids are urn:uuid: and the event id.")
    @Parameter(name = FeedFilter.SERVICE, in = ParameterIn.QUERY, description = SERVICE_DESCRIPTION, style = ParameterStyle.FORM,
            explode = Explode.FALSE, example = "teams,exchange-online", schema = @Schema(type = SchemaType.ARRAY, maxItems = 100,
                    implementation = String.class))
    @Parameter(name = FeedFilter.REGION, in = ParameterIn.QUERY, description = REGION_DESCRIPTION, style = ParameterStyle.FORM,
            explode = Explode.FALSE, example = "eu-west", schema = @Schema(type = SchemaType.ARRAY, maxItems = 100,
                    implementation = String.class))
    @APIResponse(responseCode = "200", description = "The feed", headers = {
            @Header(name = HttpHeaders.ETAG, description = ETAG_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.LAST_MODIFIED, description = LAST_MODIFIED_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.CACHE_CONTROL, description = CACHE_CONTROL_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = AtomFeed.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = "Atom 1.0, UTF-8"),
                    examples = @ExampleObject(name = "feed", value = ATOM_EXAMPLE)))
    @APIResponse(responseCode = "304", description = NOT_MODIFIED, headers = {
            @Header(name = HttpHeaders.ETAG, description = ETAG_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.LAST_MODIFIED, description = LAST_MODIFIED_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.CACHE_CONTROL, description = CACHE_CONTROL_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = BAD_REQUEST)
    @APIResponse(responseCode = "412", description = PRECONDITION_FAILED)
    public Response atom(@Context UriInfo uri, @Context HttpHeaders headers) {
        return answer(IncidentFeeds.Format.ATOM, uri, headers);
    }

    @GET
    @Path("incidents.rss")
    @Produces({ RssFeed.MEDIA_TYPE, MediaType.APPLICATION_XML, MediaType.TEXT_XML })
    @SecurityRequirements
    @Operation(operationId = "getIncidentFeedRss", summary = "The feed of incidents and their updates as RSS 2.0",
            description = "The entries of the Atom feed, as RSS items; guid is urn:uuid: and the event id (isPermaLink=false),"
                    + " description the entry as HTML.")
    @Parameter(name = FeedFilter.SERVICE, in = ParameterIn.QUERY, description = SERVICE_DESCRIPTION, style = ParameterStyle.FORM,
            explode = Explode.FALSE, example = "teams,exchange-online", schema = @Schema(type = SchemaType.ARRAY, maxItems = 100,
                    implementation = String.class))
    @Parameter(name = FeedFilter.REGION, in = ParameterIn.QUERY, description = REGION_DESCRIPTION, style = ParameterStyle.FORM,
            explode = Explode.FALSE, example = "eu-west", schema = @Schema(type = SchemaType.ARRAY, maxItems = 100,
                    implementation = String.class))
    @APIResponse(responseCode = "200", description = "The feed", headers = {
            @Header(name = HttpHeaders.ETAG, description = ETAG_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.LAST_MODIFIED, description = LAST_MODIFIED_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.CACHE_CONTROL, description = CACHE_CONTROL_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = RssFeed.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING, description = "RSS 2.0, UTF-8"),
                    examples = @ExampleObject(name = "feed", value = RSS_EXAMPLE)))
    @APIResponse(responseCode = "304", description = NOT_MODIFIED, headers = {
            @Header(name = HttpHeaders.ETAG, description = ETAG_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.LAST_MODIFIED, description = LAST_MODIFIED_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.CACHE_CONTROL, description = CACHE_CONTROL_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = BAD_REQUEST)
    @APIResponse(responseCode = "412", description = PRECONDITION_FAILED)
    public Response rss(@Context UriInfo uri, @Context HttpHeaders headers) {
        return answer(IncidentFeeds.Format.RSS, uri, headers);
    }

    @GET
    @Path("incidents.json")
    @Produces({ JsonFeed.MEDIA_TYPE, MediaType.APPLICATION_JSON })
    @SecurityRequirements
    @Operation(operationId = "getIncidentFeedJson", summary = "The feed of incidents and their updates as JSON Feed 1.1",
            description = "The entries of the Atom feed as JSON Feed items (https://www.jsonfeed.org/version/1.1/), each with"
                    + " the extension object _incident: the incident's id, severity, status and components as of the entry.")
    @Parameter(name = FeedFilter.SERVICE, in = ParameterIn.QUERY, description = SERVICE_DESCRIPTION, style = ParameterStyle.FORM,
            explode = Explode.FALSE, example = "teams,exchange-online", schema = @Schema(type = SchemaType.ARRAY, maxItems = 100,
                    implementation = String.class))
    @Parameter(name = FeedFilter.REGION, in = ParameterIn.QUERY, description = REGION_DESCRIPTION, style = ParameterStyle.FORM,
            explode = Explode.FALSE, example = "eu-west", schema = @Schema(type = SchemaType.ARRAY, maxItems = 100,
                    implementation = String.class))
    @APIResponse(responseCode = "200", description = "The feed", headers = {
            @Header(name = HttpHeaders.ETAG, description = ETAG_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.LAST_MODIFIED, description = LAST_MODIFIED_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.CACHE_CONTROL, description = CACHE_CONTROL_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = JsonFeed.MEDIA_TYPE, schema = @Schema(implementation = JsonFeed.class),
                    examples = @ExampleObject(name = "feed", value = JSON_EXAMPLE)))
    @APIResponse(responseCode = "304", description = NOT_MODIFIED, headers = {
            @Header(name = HttpHeaders.ETAG, description = ETAG_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.LAST_MODIFIED, description = LAST_MODIFIED_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)),
            @Header(name = HttpHeaders.CACHE_CONTROL, description = CACHE_CONTROL_DESCRIPTION, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "400", description = BAD_REQUEST)
    @APIResponse(responseCode = "412", description = PRECONDITION_FAILED)
    public Response json(@Context UriInfo uri, @Context HttpHeaders headers) {
        return answer(IncidentFeeds.Format.JSON, uri, headers);
    }

    private Response answer(IncidentFeeds.Format format, UriInfo uri, HttpHeaders headers) {
        FeedFilter filter = FeedFilter.of(uri.getQueryParameters());
        IncidentFeeds.Written feed = feeds.write(format, filter);
        Preconditions.Outcome outcome = Preconditions.evaluate(feed.etag(), feed.lastModified(),
                lines(headers, HttpHeaders.IF_MATCH), lines(headers, HttpHeaders.IF_UNMODIFIED_SINCE),
                lines(headers, HttpHeaders.IF_NONE_MATCH), lines(headers, HttpHeaders.IF_MODIFIED_SINCE));
        Response.ResponseBuilder response = outcome == Preconditions.Outcome.NOT_MODIFIED ? Response.notModified()
                : Response.ok(feed.body()).header(HttpHeaders.CONTENT_TYPE, format.contentType());
        response.header(HttpHeaders.ETAG, feed.etag())
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=" + config.maxAge().toSeconds());
        feed.lastModified().ifPresent(time -> response.lastModified(Date.from(time)));
        return response.build();
    }

    private static List<String> lines(HttpHeaders headers, String name) {
        List<String> lines = headers.getRequestHeader(name);
        return lines == null ? List.of() : lines;
    }
}

package dev.incidentplatform.notification.feed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Item;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.platform.json.StrictJson;

/**
 * The three writers on entries whose text no markup may break, read back by ROME and by the JSON Feed schema: a NUL,
 * other controls and a lone surrogate (which no incident event can bring through PostgreSQL, so they are tried here)
 * become U+FFFD, and markup, CDATA ends, ampersands, quotes and emoji come out as the same text.
 */
class FeedFormatsTest {

    private static final String HOSTILE = "<script>alert(1)</script> ]]> & \"q\" 'a' \u0000nul \u0007bell \u001Besc"
            + " \u007Fdel \u0085nel \uFFFEnon \uD800lone 😀 emoji 中文";
    private static final String SHOWN = "<script>alert(1)</script> ]]> & \"q\" 'a' \uFFFDnul \uFFFDbell \uFFFDesc"
            + " \uFFFDdel \uFFFDnel \uFFFDnon \uFFFDlone 😀 emoji 中文";
    private static final String BASE = "https://status.example.test";
    private static final ObjectMapper JSON = StrictJson.configure(JsonMapper.builder().findAndAddModules().build());

    private final UUID incident = UUID.randomUUID();
    private final UUID update = UUID.randomUUID();
    private final UUID opening = UUID.randomUUID();
    private final Instant opened = Instant.parse("2024-07-19T05:00:01.250Z");
    private final Instant updated = Instant.parse("2024-07-19T05:12:38.125Z");

    private Feed feed(String selfUrl) {
        List<Component> components = List.of(new Component("teams", List.of("eu-west", "us-east"), "major_outage"),
                new Component("exchange-online", List.of("global"), "degraded_performance"));
        IncidentNotice first = new IncidentNotice("incident-opened", incident, 1, HOSTILE, "SEV1", "investigating",
                "Looking into it.", components, opened, null, opened);
        IncidentNotice second = new IncidentNotice("update-posted", incident, 2, HOSTILE, "SEV1", "identified",
                "Cause: " + HOSTILE + "\nsecond line", components, updated, null, opened);
        return new Feed("Service status: incidents", "All incidents", "Service status", selfUrl, BASE + "/", List.of(
                new FeedEntry(update, updated, updated.plusSeconds(2), FeedEntry.cleaned(second, null), BASE + "/incidents/" + incident),
                new FeedEntry(opening, opened, opened.plusSeconds(1), FeedEntry.cleaned(first, null), BASE + "/incidents/" + incident)));
    }

    @Test
    void atomCarriesEveryTitleAndMessageAsTextWithStableIdsLinksAndDates() {
        byte[] body = AtomFeed.write(feed(BASE + "/feeds/incidents.atom?service=teams"));

        com.rometools.rome.feed.atom.Feed atom = FeedReaders.atom(body);
        assertThat(atom.getId()).isEqualTo(BASE + "/feeds/incidents.atom?service=teams");
        assertThat(atom.getTitle()).isEqualTo("Service status: incidents");
        assertThat(atom.getUpdated()).isEqualTo(Date.from(updated.plusSeconds(2)));
        assertThat(atom.getAuthors()).extracting(a -> a.getName()).containsExactly("Service status");
        assertThat(atom.getOtherLinks()).extracting(Link::getRel, Link::getType, Link::getHref)
                .containsExactly(tuple("self", "application/atom+xml", BASE + "/feeds/incidents.atom?service=teams"));
        assertThat(atom.getAlternateLinks()).extracting(Link::getHref).containsExactly(BASE + "/");

        List<Entry> entries = atom.getEntries();
        assertThat(entries).extracting(Entry::getId).containsExactly("urn:uuid:" + update, "urn:uuid:" + opening);
        Entry newest = entries.get(0);
        assertThat(newest.getTitleEx().getType()).isEqualTo("text");
        assertThat(newest.getTitleEx().getValue()).isEqualTo("[SEV1] " + SHOWN + " — Identified");
        assertThat(newest.getUpdated()).isEqualTo(Date.from(updated));
        assertThat(newest.getPublished()).isEqualTo(Date.from(updated));
        assertThat(newest.getAlternateLinks()).extracting(Link::getHref).containsExactly(BASE + "/incidents/" + incident);
        assertThat(newest.getCategories()).extracting(c -> c.getTerm()).containsExactly("teams", "exchange-online");
        assertThat(newest.getSummary().getValue()).isEqualTo("Cause: " + SHOWN + " second line");
        // ROME hands xhtml content back re-serialised by JDOM (which writes an emoji as a character reference).
        String content = newest.getContents().get(0).getValue();
        assertThat(newest.getContents().get(0).getType()).isEqualTo("xhtml");
        assertThat(content).contains("&lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp;").doesNotContain("<script")
                .contains("teams (eu-west, us-east): Major outage", "exchange-online (global): Degraded performance");
        assertThat(new String(body, StandardCharsets.UTF_8)).doesNotContain("\u0000", "\u0007", "\uFFFE").contains("😀 emoji 中文");
    }

    @Test
    void rssCarriesTheSameEntriesWithTheDescriptionAsEscapedHtml() {
        byte[] body = RssFeed.write(feed(BASE + "/feeds/incidents.rss"), Duration.ofSeconds(90));

        Channel rss = FeedReaders.rss(body);
        assertThat(rss.getTitle()).isEqualTo("Service status: incidents");
        assertThat(rss.getLink()).isEqualTo(BASE + "/");
        assertThat(rss.getLanguage()).isEqualTo("en");
        assertThat(rss.getTtl()).isEqualTo(2);
        assertThat(rss.getLastBuildDate()).isEqualTo(Date.from(Instant.parse("2024-07-19T05:12:40Z")));
        List<Item> items = rss.getItems();
        assertThat(items).extracting(item -> item.getGuid().getValue()).containsExactly("urn:uuid:" + update, "urn:uuid:" + opening);
        Item newest = items.get(0);
        assertThat(newest.getGuid().isPermaLink()).isFalse();
        assertThat(newest.getTitle()).isEqualTo("[SEV1] " + SHOWN + " — Identified");
        assertThat(newest.getLink()).isEqualTo(BASE + "/incidents/" + incident);
        // RFC 822 has whole seconds.
        assertThat(newest.getPubDate()).isEqualTo(Date.from(Instant.parse("2024-07-19T05:12:38Z")));
        assertThat(newest.getCategories()).extracting(c -> c.getValue()).containsExactly("teams", "exchange-online");
        // Readers render the description as HTML: the incident's text is escaped in it, the markup is ours.
        assertThat(newest.getDescription().getValue()).startsWith("<p><strong>Identified</strong> · SEV1 · incident #")
                .contains("Cause: &lt;script&gt;alert(1)&lt;/script&gt; ]]&gt; &amp; \"q\" 'a' \uFFFDnul")
                .contains("<br/>second line").doesNotContain("<script");
        assertThat(new String(body, StandardCharsets.UTF_8)).contains("<atom:link href=\"" + BASE + "/feeds/incidents.rss\" rel=\"self\"");
    }

    @Test
    void theJsonFeedIsValidJsonFeedOneOneWithTheSameText() throws Exception {
        byte[] body = JSON.writeValueAsBytes(JsonFeed.of(feed(BASE + "/feeds/incidents.json?region=eu-west")));

        JsonNode json = FeedReaders.jsonFeed(body);
        assertThat(json.fieldNames().next()).isEqualTo("version");
        assertThat(json.path("version").asText()).isEqualTo("https://jsonfeed.org/version/1.1");
        assertThat(json.path("feed_url").asText()).isEqualTo(BASE + "/feeds/incidents.json?region=eu-west");
        assertThat(json.path("home_page_url").asText()).isEqualTo(BASE + "/");
        assertThat(json.path("authors").get(0).path("name").asText()).isEqualTo("Service status");
        JsonNode newest = json.path("items").get(0);
        assertThat(newest.path("id").isTextual()).isTrue();
        assertThat(newest.path("id").asText()).isEqualTo("urn:uuid:" + update);
        assertThat(json.path("items").get(1).path("id").asText()).isEqualTo("urn:uuid:" + opening);
        assertThat(newest.path("url").asText()).isEqualTo(BASE + "/incidents/" + incident);
        assertThat(newest.path("title").asText()).isEqualTo("[SEV1] " + SHOWN + " — Identified");
        assertThat(newest.path("date_published").asText()).isEqualTo("2024-07-19T05:12:38.125Z");
        assertThat(newest.path("content_text").asText()).startsWith("Identified · SEV1 · incident #" + incident.toString().substring(0, 8))
                .contains("Cause: " + SHOWN + "\nsecond line", "- teams (eu-west, us-east): Major outage");
        assertThat(newest.path("content_html").asText()).contains("Cause: &lt;script&gt;alert(1)&lt;/script&gt;")
                .doesNotContain("<script");
        assertThat(newest.path("tags")).extracting(JsonNode::asText).containsExactly("teams", "exchange-online");
        assertThat(newest.path("_incident").path("status").asText()).isEqualTo("identified");
        assertThat(newest.path("_incident").path("components").get(1).path("regions").get(0).asText()).isEqualTo("global");
    }

    @Test
    void aFeedWithoutEntriesIsStillValidInEveryFormat() throws Exception {
        Feed empty = new Feed("Service status: incidents", "All incidents", "Service status", BASE + "/feeds/incidents.atom",
                BASE + "/", List.of());

        com.rometools.rome.feed.atom.Feed atom = FeedReaders.atom(AtomFeed.write(empty));
        assertThat(atom.getEntries()).isEmpty();
        assertThat(atom.getUpdated()).isEqualTo(Date.from(Instant.EPOCH));
        Channel rss = FeedReaders.rss(RssFeed.write(empty, Duration.ofSeconds(60)));
        assertThat(rss.getItems()).isEmpty();
        assertThat(rss.getLastBuildDate()).isNull();
        assertThat(FeedReaders.jsonFeed(JSON.writeValueAsBytes(JsonFeed.of(empty))).path("items").isEmpty()).isTrue();
    }

    @Test
    void aReviewSaysWhatWentWrongAndWhatIsDone() {
        IncidentNotice review = new IncidentNotice("review-published", incident, 3, "Storage down", "SEV2", "resolved", null,
                List.of(), updated, new IncidentNotice.Review(1, "A config push & no canary.", "40 minutes in eu-west.",
                        List.of("Staged rollouts", "Canary <checks>")), null);
        FeedEntry entry = new FeedEntry(UUID.randomUUID(), updated, updated, FeedEntry.cleaned(review,
                List.of(new Component("storage", List.of("eu-west"), "operational"))), BASE + "/incidents/" + incident);

        assertThat(entry.headline()).isEqualTo("[SEV2] Storage down — Post-incident review");
        assertThat(EntryContent.summary(entry)).isEqualTo("A config push & no canary.");
        assertThat(EntryContent.text(entry)).isEqualTo("Post-incident review (version 1) · SEV2 · incident #"
                + incident.toString().substring(0, 8) + "\n\nRoot cause:\nA config push & no canary.\n\nImpact:\n40 minutes in"
                + " eu-west.\n\nWhat we are doing so it does not happen again:\n- Staged rollouts\n- Canary <checks>\n\n"
                + "Affected components:\n- storage (eu-west): Operational");
        assertThat(EntryContent.html(entry)).contains("<li>Canary &lt;checks&gt;</li>", "<p>A config push &amp; no canary.</p>");
    }

    @Test
    void aLongMessageIsShortenedInTheSummaryOnlyAndNeverSplitsACharacter() {
        String message = "x".repeat(EntryContent.SUMMARY_LENGTH - 2) + "😀😀 and more";
        IncidentNotice notice = new IncidentNotice("update-posted", incident, 2, "T", null, "monitoring", message, List.of(),
                updated, null, null);
        FeedEntry entry = new FeedEntry(UUID.randomUUID(), updated, updated, notice, BASE + "/incidents/" + incident);

        String summary = EntryContent.summary(entry);
        assertThat(summary).hasSizeLessThanOrEqualTo(EntryContent.SUMMARY_LENGTH).endsWith("…");
        assertThat(summary.codePoints().noneMatch(c -> Character.isSurrogate((char) c))).isTrue();
        assertThat(entry.headline()).isEqualTo("T — Monitoring");
        assertThat(EntryContent.text(entry)).contains(message);
    }
}

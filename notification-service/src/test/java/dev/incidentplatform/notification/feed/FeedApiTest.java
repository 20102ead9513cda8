package dev.incidentplatform.notification.feed;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.rometools.rome.feed.atom.Entry;
import com.rometools.rome.feed.atom.Link;
import com.rometools.rome.feed.rss.Channel;
import com.rometools.rome.feed.rss.Item;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.TestEvents;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;

/**
 * The feeds over HTTP, fed by incident events produced to the real broker and consumed into the real database, read
 * back with ROME and the JSON Feed schema; every response is also held to the OpenAPI document by the test JVM's
 * REST Assured filter. Each test's incidents are about a service of its own, so its filtered feeds hold only them.
 */
@QuarkusTest
class FeedApiTest {

    private static final String BASE = "https://status.example.test";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URI base;

    private static Response get(String file, Map<String, ?> query) {
        return given().queryParams(query).when().get("/feeds/" + file);
    }

    private static byte[] feed(String file, Map<String, ?> query) {
        return get(file, query).then().statusCode(200).extract().asByteArray();
    }

    private static List<String> atomIds(Map<String, ?> query) {
        return FeedReaders.atom(feed("incidents.atom", query)).getEntries().stream().map(Entry::getId).toList();
    }

    private static List<String> awaitAtomIds(Map<String, ?> query, int count) {
        return Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> atomIds(query),
                ids -> ids.size() == count);
    }

    private static String urn(Map<String, Object> event) {
        return "urn:uuid:" + event.get("eventId");
    }

    /** The event as if it happened {@code secondsAgo} seconds ago, so that a test's entries have an order of their own. */
    private static Map<String, Object> at(Map<String, Object> event, int secondsAgo) {
        event.put("occurredAt", Instant.now().truncatedTo(ChronoUnit.MILLIS).minusSeconds(secondsAgo).toString());
        return event;
    }

    private static Instant occurred(Map<String, Object> event) {
        return Instant.parse((String) event.get("occurredAt"));
    }

    @Test
    void anIncidentsOpeningUpdateAndReviewAreEntriesNewestFirstInEveryFormat() throws SQLException {
        String service = Api.unique("feed");
        UUID incident = UUID.randomUUID();
        Map<String, Object> opened = at(TestEvents.incidentOpened(incident, "Storage down", "SEV2",
                List.of(component(service, "major_outage", "eu-west"))), 30);
        Map<String, Object> update = at(TestEvents.updatePosted(incident, 2, "resolved", "Recovered.",
                List.of(component(service, "operational", "eu-west"))), 20);
        Map<String, Object> review = at(TestEvents.reviewPublished(incident, 3, "A config push & no canary."), 10);
        Map<String, Object> credit = TestEvents.creditIssued(Api.unique("customer"), incident);
        TestEvents.publish(opened);
        TestEvents.publish(update);
        TestEvents.publish(review);
        TestEvents.publish(credit);
        Map<String, String> ours = Map.of("service", service);

        assertThat(awaitAtomIds(ours, 3)).containsExactly(urn(review), urn(update), urn(opened));

        Response atomResponse = get("incidents.atom", ours);
        atomResponse.then().statusCode(200).contentType("application/atom+xml; charset=utf-8")
                .header("Cache-Control", "public, max-age=60");
        com.rometools.rome.feed.atom.Feed atom = FeedReaders.atom(atomResponse.asByteArray());
        assertThat(atom.getId()).isEqualTo(BASE + "/feeds/incidents.atom?service=" + service);
        assertThat(atom.getOtherLinks()).extracting(Link::getRel, Link::getHref)
                .containsExactly(tuple("self", BASE + "/feeds/incidents.atom?service=" + service));
        assertThat(atom.getAlternateLinks()).extracting(Link::getHref).containsExactly(BASE + "/");
        List<Entry> entries = atom.getEntries();
        assertThat(entries).extracting(e -> e.getTitleEx().getValue()).containsExactly(
                "[SEV2] Storage down — Post-incident review", "[SEV2] Storage down — Resolved", "[SEV2] Storage down — Investigating");
        assertThat(entries).extracting(Entry::getUpdated).containsExactly(Date.from(occurred(review)),
                Date.from(occurred(update)), Date.from(occurred(opened)));
        assertThat(entries).allSatisfy(e -> assertThat(e.getAlternateLinks()).extracting(Link::getHref)
                .containsExactly(BASE + "/incidents/" + incident));
        // The review names no components; it is about those of the incident's last update, and listed under them.
        assertThat(entries.get(0).getCategories()).extracting(c -> c.getTerm()).containsExactly(service);
        assertThat(entries.get(0).getContents().get(0).getValue()).contains("A config push &amp; no canary.",
                service + " (eu-west): Operational");
        assertThat(entries.get(1).getSummary().getValue()).isEqualTo("Recovered.");
        assertThat(entries.get(2).getContents().get(0).getValue()).contains(service + " (eu-west): Major outage");
        assertThat(Date.from(lastModified(atomResponse))).isBeforeOrEqualTo(new Date());

        Response rssResponse = get("incidents.rss", ours);
        rssResponse.then().statusCode(200).contentType("application/rss+xml; charset=utf-8");
        Channel rss = FeedReaders.rss(rssResponse.asByteArray());
        assertThat(rss.getItems()).extracting(item -> item.getGuid().getValue()).containsExactly(urn(review), urn(update), urn(opened));
        assertThat(rss.getItems()).extracting(Item::getPubDate).containsExactly(seconds(occurred(review)),
                seconds(occurred(update)), seconds(occurred(opened)));
        assertThat(rss.getItems()).extracting(Item::getLink).containsOnly(BASE + "/incidents/" + incident);

        Response jsonResponse = get("incidents.json", ours);
        jsonResponse.then().statusCode(200).contentType("application/feed+json; charset=utf-8");
        JsonNode json = FeedReaders.jsonFeed(jsonResponse.asByteArray());
        assertThat(json.path("feed_url").asText()).isEqualTo(BASE + "/feeds/incidents.json?service=" + service);
        assertThat(json.path("items")).extracting(item -> item.path("id").asText()).containsExactly(urn(review), urn(update),
                urn(opened));
        assertThat(json.path("items")).extracting(item -> Instant.parse(item.path("date_published").asText()))
                .containsExactly(occurred(review), occurred(update), occurred(opened));
        assertThat(json.path("items").get(0).path("_incident").path("event_type").asText()).isEqualTo("review-published");

        // Credits are one customer's: stored like every notice, in no feed.
        awaitNotice(UUID.fromString((String) credit.get("eventId")));
        for (String file : List.of("incidents.atom", "incidents.rss", "incidents.json")) {
            assertThat(new String(feed(file, Map.of()), StandardCharsets.UTF_8)).as(file)
                    .doesNotContain((String) credit.get("eventId"), (String) credit.get("customerId"));
        }
        assertThat(atomIds(Map.of("service", "azure-virtual-machines"))).doesNotContain(urn(credit));
    }

    @Test
    void aFeedShowsTheNewestFiftyEntries() {
        String service = Api.unique("many");
        UUID incident = UUID.randomUUID();
        List<Map<String, Object>> events = new ArrayList<>();
        events.add(at(TestEvents.incidentOpened(incident, "Flapping", "SEV4", List.of(component(service, "degraded_performance", "global"))), 120));
        for (int version = 2; version <= 55; version++) {
            events.add(at(TestEvents.updatePosted(incident, version, "monitoring", "Update " + version,
                    List.of(component(service, "degraded_performance", "global"))), 120 - version));
        }
        events.forEach(TestEvents::publish);
        String newest = urn(events.get(events.size() - 1));

        List<String> ids = Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(250))
                .until(() -> atomIds(Map.of("service", service)), shown -> !shown.isEmpty() && shown.get(0).equals(newest)
                        && shown.size() == 50 && shown.get(49).equals(urn(events.get(5))));

        List<String> expected = new ArrayList<>();
        for (int i = events.size() - 1; i >= 5; i--) {
            expected.add(urn(events.get(i)));
        }
        assertThat(ids).containsExactlyElementsOf(expected);
        assertThat(FeedReaders.atom(feed("incidents.atom", Map.of())).getEntries()).hasSize(50);
        assertThat(FeedReaders.rss(feed("incidents.rss", Map.of("service", service))).getItems()).hasSize(50);
        assertThat(FeedReaders.jsonFeed(feed("incidents.json", Map.of("service", service))).path("items")).hasSize(50);
    }

    @Test
    void filtersMeanWhatTheyMeanForASubscriber() {
        String a = Api.unique("fa");
        String b = Api.unique("fb");
        Map<String, Object> aInEuWest = at(TestEvents.incidentOpened(UUID.randomUUID(), "A in eu-west", "SEV3",
                List.of(component(a, "partial_outage", "eu-west"))), 5);
        Map<String, Object> aGlobal = at(TestEvents.incidentOpened(UUID.randomUUID(), "A everywhere", "SEV1",
                List.of(component(a, "major_outage", "global"))), 4);
        Map<String, Object> bInUsEast = at(TestEvents.incidentOpened(UUID.randomUUID(), "B in us-east and A elsewhere", "SEV2",
                List.of(component(b, "major_outage", "us-east"), component(a, "operational", "ap-south"))), 3);
        List.of(aInEuWest, aGlobal, bInUsEast).forEach(TestEvents::publish);
        awaitAtomIds(Map.of("service", a + "," + b), 3);

        assertThat(atomIds(Map.of("service", a))).containsExactly(urn(bInUsEast), urn(aGlobal), urn(aInEuWest));
        assertThat(atomIds(Map.of("service", b))).containsExactly(urn(bInUsEast));
        assertThat(atomIds(Map.of("service", a, "region", "eu-west"))).containsExactly(urn(aGlobal), urn(aInEuWest));
        assertThat(atomIds(Map.of("service", a, "region", "us-east"))).containsExactly(urn(aGlobal));
        assertThat(atomIds(Map.of("service", a + "," + b, "region", "us-east"))).containsExactly(urn(bInUsEast), urn(aGlobal));
        assertThat(atomIds(Map.of("service", b, "region", "eu-west"))).isEmpty();
        assertThat(atomIds(Map.of("service", a, "region", "global"))).containsExactly(urn(aGlobal));
        // The service of one component and the region of another do not make a match.
        assertThat(atomIds(Map.of("service", b, "region", "ap-south"))).isEmpty();
        assertThat(atomIds(Map.of("region", "ap-south"))).contains(urn(bInUsEast), urn(aGlobal)).doesNotContain(urn(aInEuWest));
        // Every spelling of one filter is one feed.
        assertThat(feed("incidents.atom", Map.of("service", b + "," + a + "," + a)))
                .isEqualTo(feed("incidents.atom", Map.of("service", a + "," + b)));
        assertThat(FeedReaders.atom(feed("incidents.atom", Map.of("service", b + "," + a))).getId())
                .isEqualTo(BASE + "/feeds/incidents.atom?service=" + String.join("%2C", new TreeSet<>(List.of(a, b))));
    }

    @Test
    void conditionalRequestsAnswer304UntilTheFeedChanges() {
        String service = Api.unique("cond");
        UUID incident = UUID.randomUUID();
        TestEvents.publish(at(TestEvents.incidentOpened(incident, "Caching", "SEV3", List.of(component(service, "partial_outage", "eu-west"))), 2));
        Map<String, String> ours = Map.of("service", service);
        awaitAtomIds(ours, 1);

        Response first = get("incidents.atom", ours);
        String etag = first.header("ETag");
        String lastModified = first.header("Last-Modified");
        assertThat(etag).matches("\"[A-Za-z0-9_-]{22}\"");
        assertThat(get("incidents.atom", ours).header("ETag")).as("the same feed, the same tag").isEqualTo(etag);
        List<String> tags = List.of(etag, get("incidents.rss", ours).header("ETag"), get("incidents.json", ours).header("ETag"),
                get("incidents.atom", Map.of("service", service, "region", "eu-west")).header("ETag"));
        assertThat(tags).as("formats and filters").doesNotHaveDuplicates();

        for (String ifNoneMatch : List.of(etag, "W/" + etag, "\"other\", " + etag, "*")) {
            Response notModified = given().queryParams(ours).header("If-None-Match", ifNoneMatch).when().get("/feeds/incidents.atom");
            notModified.then().statusCode(304).header("ETag", etag).header("Cache-Control", "public, max-age=60")
                    .header("Last-Modified", lastModified);
            assertThat(notModified.asByteArray()).as(ifNoneMatch).isEmpty();
        }
        given().queryParams(ours).header("If-Modified-Since", lastModified).when().get("/feeds/incidents.atom")
                .then().statusCode(304).header("ETag", etag);
        String anHourEarlier = DateTimeFormatter.RFC_1123_DATE_TIME.format(
                ZonedDateTime.parse(lastModified, DateTimeFormatter.RFC_1123_DATE_TIME).minusHours(1));
        given().queryParams(ours).header("If-Modified-Since", anHourEarlier).when().get("/feeds/incidents.atom")
                .then().statusCode(200);
        // If-None-Match decides when both are sent (RFC 9110 §13.2.2).
        given().queryParams(ours).header("If-None-Match", "\"other\"").header("If-Modified-Since", lastModified)
                .when().get("/feeds/incidents.atom").then().statusCode(200).header("ETag", etag);
        given().queryParams(ours).header("If-None-Match", etag).header("If-Modified-Since", anHourEarlier)
                .when().get("/feeds/incidents.atom").then().statusCode(304);
        given().queryParams(ours).header("If-Modified-Since", "not a date").when().get("/feeds/incidents.atom")
                .then().statusCode(200);
        given().queryParams(ours).header("If-Match", "\"other\"").when().get("/feeds/incidents.atom")
                .then().statusCode(412).contentType("application/problem+json").body("detail", containsString("If-Match"));
        given().queryParams(ours).header("If-Match", etag).when().get("/feeds/incidents.atom").then().statusCode(200);

        TestEvents.publish(at(TestEvents.updatePosted(incident, 2, "monitoring", "A fix is rolling out.",
                List.of(component(service, "partial_outage", "eu-west"))), 1));
        String changed = Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> given()
                .queryParams(ours).header("If-None-Match", etag).when().get("/feeds/incidents.atom").then()
                .extract().response(), answer -> answer.statusCode() == 200).header("ETag");
        assertThat(changed).isNotEqualTo(etag);
        given().queryParams(ours).header("If-None-Match", changed).when().get("/feeds/incidents.atom").then().statusCode(304);
    }

    @Test
    void aFilterThatMatchesNothingIsAnEmptyFeedWithoutLastModified() {
        Map<String, String> nothing = Map.of("service", Api.unique("nothing"));

        Response empty = get("incidents.atom", nothing);
        empty.then().statusCode(200).header("ETag", notNullValue());
        assertThat(empty.header("Last-Modified")).isNull();
        assertThat(FeedReaders.atom(empty.asByteArray()).getEntries()).isEmpty();
        assertThat(FeedReaders.jsonFeed(feed("incidents.json", nothing)).path("items").isEmpty()).isTrue();
        given().queryParams(nothing).header("If-None-Match", empty.header("ETag")).when().get("/feeds/incidents.atom")
                .then().statusCode(304);
        given().queryParams(nothing).header("If-Modified-Since", "Fri, 19 Jul 2024 05:12:40 GMT").when()
                .get("/feeds/incidents.atom").then().statusCode(200);
    }

    @Test
    void hostileTitlesAndMessagesArriveAsTheirText() {
        String service = Api.unique("hostile-feed");
        String title = "<script>alert(1)</script> ]]> & <![CDATA[x]]> \"q\" \u0007bell \u001Besc \uFFFEnon \u0085nel 😀 emoji";
        String shown = "<script>alert(1)</script> ]]> & <![CDATA[x]]> \"q\" \uFFFDbell \uFFFDesc \uFFFDnon \uFFFDnel 😀 emoji";
        String message = "Escape </description></item> & </channel> and \u0001 too";
        TestEvents.publish(at(TestEvents.updatePosted(UUID.randomUUID(), 2, "identified", message,
                List.of(component(service, "major_outage", "eu-west"))), 1));
        Map<String, String> ours = Map.of("service", service);
        awaitAtomIds(ours, 1);

        // The opening was never seen: the title is the incident's short id, and an update's message carries the text.
        Entry atom = FeedReaders.atom(feed("incidents.atom", ours)).getEntries().get(0);
        assertThat(atom.getSummary().getValue()).isEqualTo("Escape </description></item> & </channel> and \uFFFD too");
        Item rss = FeedReaders.rss(feed("incidents.rss", ours)).getItems().get(0);
        assertThat(rss.getDescription().getValue()).contains("Escape &lt;/description&gt;&lt;/item&gt; &amp; &lt;/channel&gt;");
        JsonNode json = FeedReaders.jsonFeed(feed("incidents.json", ours)).path("items").get(0);
        assertThat(json.path("content_text").asText()).contains("Escape </description></item> & </channel> and \uFFFD too");

        UUID incident = UUID.randomUUID();
        TestEvents.publish(at(TestEvents.incidentOpened(incident, title, "SEV1", List.of(component(service, "major_outage", "eu-west"))), 0));
        awaitAtomIds(ours, 2);

        assertThat(FeedReaders.atom(feed("incidents.atom", ours)).getEntries().get(0).getTitleEx().getValue())
                .isEqualTo("[SEV1] " + shown + " — Investigating");
        assertThat(FeedReaders.rss(feed("incidents.rss", ours)).getItems().get(0).getTitle()).isEqualTo("[SEV1] " + shown + " — Investigating");
        assertThat(FeedReaders.jsonFeed(feed("incidents.json", ours)).path("items").get(0).path("title").asText())
                .isEqualTo("[SEV1] " + shown + " — Investigating");
    }

    @Test
    void badParametersAndHeadersAre400ProblemsThatNameThem() {
        get("incidents.atom", Map.of("services", "teams")).then().statusCode(400).contentType("application/problem+json")
                .body("errors[0].field", equalTo("services")).body("errors[0].reason", containsString("known: region, service"));
        given().queryParam("service", "teams").queryParam("service", "exchange-online").when().get("/feeds/incidents.rss")
                .then().statusCode(400).body("errors[0].field", equalTo("service")).body("errors[0].reason", equalTo("must be given once"));
        get("incidents.json", Map.of("service", "")).then().statusCode(400).body("errors.field", hasItem("service"));
        get("incidents.atom", Map.of("service", "Teams")).then().statusCode(400)
                .body("errors[0].reason", containsString("is not a service id"));
        get("incidents.atom", Map.of("region", "eu_west,")).then().statusCode(400).body("errors.field", hasItem("region"))
                .body("errors.reason", hasItem(containsString("empty value")));
        get("incidents.atom", Map.of("page", "1")).then().statusCode(400).body("errors[0].field", equalTo("page"));
        given().header("If-None-Match", "abc").when().get("/feeds/incidents.atom").then().statusCode(400)
                .contentType("application/problem+json").body("errors[0].field", equalTo("If-None-Match"));
    }

    @Test
    void readersThatAskForPlainXmlOrJsonGetTheFeedAndOthersA406() {
        given().accept("text/xml").when().get("/feeds/incidents.atom").then().statusCode(200)
                .contentType("application/atom+xml; charset=utf-8");
        given().accept("application/xml").when().get("/feeds/incidents.rss").then().statusCode(200)
                .contentType("application/rss+xml; charset=utf-8");
        given().accept("application/json").when().get("/feeds/incidents.json").then().statusCode(200)
                .contentType("application/feed+json; charset=utf-8");
        given().accept("application/atom+xml, application/rss+xml;q=0.9, */*;q=0.1").when().get("/feeds/incidents.rss")
                .then().statusCode(200).contentType("application/rss+xml; charset=utf-8");
        given().accept("application/json").when().get("/feeds/incidents.atom").then().statusCode(406)
                .contentType("application/problem+json");
    }

    @Test
    void headAnswersWithTheHeadersOfGetAndNoBody() throws Exception {
        String etag = get("incidents.json", Map.of()).then().statusCode(200).extract().header("ETag");
        HttpResponse<byte[]> head = HttpClient.newHttpClient().send(HttpRequest.newBuilder(base.resolve("/feeds/incidents.json"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());

        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
        assertThat(head.headers().firstValue("Content-Type")).contains("application/feed+json; charset=utf-8");
        assertThat(head.headers().firstValue("ETag")).as("unless an event arrived in between").contains(etag);
    }

    private static Instant lastModified(Response response) {
        return ZonedDateTime.parse(response.header("Last-Modified"), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    }

    private static Date seconds(Instant instant) {
        return Date.from(instant.truncatedTo(ChronoUnit.SECONDS));
    }

    private void awaitNotice(UUID eventId) {
        Awaitility.await().atMost(WAIT).pollInterval(Duration.ofMillis(200)).until(() -> {
            try (Connection connection = dataSource.getConnection();
                    PreparedStatement query = connection.prepareStatement("SELECT count(*) FROM notice WHERE event_id = ?")) {
                query.setObject(1, eventId);
                try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getLong(1) == 1;
                }
            }
        });
    }
}

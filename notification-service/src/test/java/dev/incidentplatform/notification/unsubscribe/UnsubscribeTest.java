package dev.incidentplatform.notification.unsubscribe;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.matchesPattern;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.TestEvents;
import dev.incidentplatform.testsupport.TestInfrastructure;
import io.quarkus.test.junit.QuarkusTest;

/** The unsubscribe link of a real notice: GET shows a page, POST unsubscribes; forged and altered tokens change nothing. */
@QuarkusTest
class UnsubscribeTest {

    @Inject
    UnsubscribeLinks links;

    @Test
    void theLinkInANoticeUnsubscribesWithOneClickAndCancelsWhatIsStillPending() {
        String service = Api.unique("unsub");
        String address = "leaving@" + Api.unique("unsub") + ".example.test";
        UUID subscriberId = Api.createSubscriber(address, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        List<TestEvents.Comp> components = List.of(component(service, "major_outage", "global"));
        TestEvents.publish(TestEvents.incidentOpened(incidentId, "Unsubscribe test", "SEV2", components));
        String token = token(Mails.awaitTo(address, 1).get(0).header("List-Unsubscribe"));

        // A GET (what a mail scanner does) only shows the confirmation page.
        given().accept("text/html").queryParam("token", token).when().get("/unsubscribe")
                .then().statusCode(200).contentType("text/html").body(containsString("<form method=\"post\""));
        Api.admin().when().get("/api/subscribers/" + subscriberId).then().body("unsubscribedAt", nullValue());

        // An update that cannot be sent yet (SMTP down) is pending when the one-click POST arrives.
        TestInfrastructure.mail().stop();
        try {
            TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "identified", "Pending update", components));
            Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                    Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats")
                            .then().body("channels.email.total", equalTo(2)));
            given().contentType("application/x-www-form-urlencoded").formParam("List-Unsubscribe", "One-Click")
                    .queryParam("token", token).when().post("/unsubscribe")
                    .then().statusCode(200).body(containsString("unsubscribed"));
        } finally {
            TestInfrastructure.mail().start();
        }

        Api.admin().when().get("/api/subscribers/" + subscriberId).then().body("unsubscribedAt", notNullValue())
                .body("updatedBy", equalTo("subscriber (unsubscribe link)"));
        Awaitility.await().atMost(Mails.TIMEOUT).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                Api.admin().queryParam("incidentId", incidentId.toString()).when().get("/api/deliveries/stats")
                        .then().body("channels.email.sent", equalTo(1)).body("channels.email.pending", equalTo(0))
                        .body("channels.email.sending", equalTo(0)).body("channels.email.cancelled", equalTo(1)));
        assertThat(Mails.to(address)).hasSize(1);
        // Idempotent: a second click answers the same.
        given().queryParam("token", token).when().post("/unsubscribe").then().statusCode(200);
    }

    @Test
    void forgedAlteredAndMalformedTokensAreRefusedAndChangeNothing() {
        String address = "staying@" + Api.unique("forge") + ".example.test";
        UUID subscriberId = Api.createSubscriber(address, List.of(Api.unique("forge")), List.of());
        UUID victim = subscriberId;
        String forgedPayload = Base64.getUrlEncoder().withoutPadding()
                .encodeToString(("1:" + victim).getBytes(StandardCharsets.US_ASCII));
        String forged = forgedPayload + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(new byte[32]);

        given().queryParam("token", forged).when().post("/unsubscribe")
                .then().statusCode(403).contentType("application/problem+json").body("detail", containsString("altered"));
        given().accept("text/html").queryParam("token", forged).when().get("/unsubscribe")
                .then().statusCode(403).contentType("text/html");
        given().queryParam("token", "garbage").when().post("/unsubscribe").then().statusCode(400)
                .contentType("application/problem+json");
        given().when().post("/unsubscribe").then().statusCode(400);

        // A real token for someone else, with its subscriber swapped for the victim: the signature no longer fits.
        String otherAddress = "other@" + Api.unique("forge") + ".example.test";
        String service = Api.unique("forge-svc");
        Api.createSubscriber(otherAddress, List.of(service), List.of());
        TestEvents.publish(TestEvents.incidentOpened(UUID.randomUUID(), "Token source", "SEV4",
                List.of(component(service, "degraded_performance", "global"))));
        String genuine = token(Mails.awaitTo(otherAddress, 1).get(0).header("List-Unsubscribe"));
        String altered = forgedPayload + genuine.substring(genuine.indexOf('.'));
        given().queryParam("token", altered).when().post("/unsubscribe").then().statusCode(403);

        Api.admin().when().get("/api/subscribers/" + subscriberId).then().body("unsubscribedAt", nullValue())
                .body("version", equalTo(1));
    }

    @Test
    void pagesForbidScriptsFramingSniffingAndReferrersAndARepeatedUnsubscribeChangesNothingMore() {
        UUID subscriberId = Api.createSubscriber("twice@" + Api.unique("twice") + ".example.test", List.of(Api.unique("twice")),
                List.of());
        String url = links.url(subscriberId);
        String token = url.substring(url.indexOf("token=") + 6);

        for (var answer : List.of(
                given().accept("text/html").queryParam("token", token).when().get("/unsubscribe").then().statusCode(200),
                given().accept("text/html").queryParam("token", "garbage").when().get("/unsubscribe").then().statusCode(400),
                given().accept("text/html").queryParam("token", token).when().post("/unsubscribe").then().statusCode(200))) {
            answer.contentType("text/html")
                    .header("Content-Security-Policy", allOf(containsString("default-src 'none'"),
                            containsString("style-src 'unsafe-inline'"), containsString("form-action 'self'"),
                            containsString("frame-ancestors 'none'")))
                    .header("X-Content-Type-Options", "nosniff").header("X-Frame-Options", "DENY")
                    .header("Referrer-Policy", "no-referrer");
        }
        String unsubscribedAt = Api.admin().when().get("/api/subscribers/" + subscriberId).then().body("version", equalTo(2))
                .extract().path("unsubscribedAt");
        assertThat(unsubscribedAt).isNotNull();

        // A mail client retrying the one-click POST: same answer, no second change.
        given().contentType("application/x-www-form-urlencoded").formParam("List-Unsubscribe", "One-Click")
                .queryParam("token", token).when().post("/unsubscribe").then().statusCode(200);
        Api.admin().when().get("/api/subscribers/" + subscriberId).then().body("version", equalTo(2))
                .body("unsubscribedAt", equalTo(unsubscribedAt)).header("ETag", "\"2\"");
    }

    @Test
    void theTokenIsAcceptedOnlyAsBase64UrlWithoutPadding() {
        UUID subscriberId = Api.createSubscriber("padding@" + Api.unique("padding") + ".example.test", List.of(Api.unique("padding")),
                List.of());
        String url = links.url(subscriberId);
        String token = url.substring(url.indexOf("token=") + 6);
        String payload = token.substring(0, token.indexOf('.'));
        String signature = token.substring(token.indexOf('.') + 1);
        Base64.Decoder decoder = Base64.getUrlDecoder();
        String standard = Base64.getEncoder().encodeToString(decoder.decode(payload)) + "."
                + Base64.getEncoder().encodeToString(decoder.decode(signature));
        for (String other : List.of(payload + "=." + signature + "=", standard)) {
            given().queryParam("token", other).when().post("/unsubscribe")
                    .then().statusCode(400).contentType("application/problem+json").body("detail", containsString("base64url"));
        }
        Api.admin().when().get("/api/subscribers/" + subscriberId).then().body("unsubscribedAt", nullValue()).body("version", equalTo(1));
    }

    @Test
    void aClientAddressOverItsBudgetGets429WithRetryAfterAsAProblemOrAPage() {
        String client = "203.0.113." + (1 + new java.util.Random().nextInt(250));
        int budget = ConfigProvider.getConfig().getValue("notification.unsubscribe.rate-limit.requests", Integer.class);
        for (int i = 0; i < budget; i++) {
            given().header("X-Forwarded-For", client).queryParam("token", "garbage").when().get("/unsubscribe")
                    .then().statusCode(400);
        }
        given().header("X-Forwarded-For", client).queryParam("token", "garbage").when().post("/unsubscribe")
                .then().statusCode(429).contentType("application/problem+json").header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .body("status", equalTo(429)).body("detail", containsString("Too many"));
        given().header("X-Forwarded-For", client).accept("text/html").queryParam("token", "garbage").when().get("/unsubscribe")
                .then().statusCode(429).contentType("text/html").header("Retry-After", matchesPattern("[1-9][0-9]*"))
                .header("Content-Security-Policy", containsString("default-src 'none'"));
        // Others are not affected.
        given().header("X-Forwarded-For", "198.51.100.7").queryParam("token", "garbage").when().get("/unsubscribe")
                .then().statusCode(400);
    }

    private static String token(String listUnsubscribe) {
        return listUnsubscribe.substring(listUnsubscribe.indexOf("token=") + 6, listUnsubscribe.length() - 1);
    }
}

package dev.incidentplatform.notification.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.support.Api;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class SubscriberImportTest {

    private static final Logger LOG = Logger.getLogger(SubscriberImportTest.class);
    private static final String HEADER = "email,name,customerId,services,regions\n";

    @Test
    void importsOneHundredThousandRowsInOneRequest() {
        String domain = Api.unique("bulk") + ".example.test";
        // A service of its own, so these subscribers receive none of the other tests' incidents.
        String service = Api.unique("bulk-svc");
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 100_000; i++) {
            csv.append("user").append(i).append('@').append(domain).append(",\"User ").append(i).append(", Jr\",customer-")
                    .append(i % 100).append(',').append(service).append(";teams,eu-west;us-east\n");
        }
        byte[] body = csv.toString().getBytes(StandardCharsets.UTF_8);

        long start = System.nanoTime();
        Api.admin().contentType(Api.CSV).body(body).when().post("/api/subscribers/import")
                .then().statusCode(200).body("imported", equalTo(100_000));
        long millis = (System.nanoTime() - start) / 1_000_000;
        LOG.infof("Imported 100 000 subscribers (%d KB of CSV) in %d ms", body.length / 1024, millis);

        Api.admin().queryParam("email", "USER99999@" + domain).when().get("/api/subscribers")
                .then().body("items[0].name", equalTo("User 99999, Jr")).body("items[0].customerId", equalTo("customer-99"))
                .body("items[0].services", contains(service, "teams")).body("items[0].regions", contains("eu-west", "us-east"));
        Api.admin().queryParam("service", service).queryParam("size", 1).when().get("/api/subscribers")
                .then().body("totalItems", equalTo(100_000));
    }

    @Test
    void everyBadLineIsReportedWithItsNumberAndNothingIsImported() {
        String domain = Api.unique("partial") + ".example.test";
        String csv = HEADER
                + "good1@" + domain + ",Good,,teams,\n"                        // line 2
                + "not-an-address,Bad,,,\n"                                     // line 3
                + "good2@" + domain + ",\"Multi\nline name\",,,\n"              // lines 4-5
                + "GOOD1@" + domain + ",Again,,,\n"                             // line 6: same address as line 2
                + "bad-service@" + domain + ",,,Not A Service,global\n"         // line 7
                + "short@" + domain + ",only-two\n";                            // line 8

        Api.admin().contentType(Api.CSV).body(csv).when().post("/api/subscribers/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("detail", containsString("nothing was imported"))
                .body("errors.line", contains(3, 6, 7, 7, 8))
                .body("errors.field", contains("email", "email", "services", "regions", "line"))
                .body("errors[1].reason", equalTo("repeats the address of line 2"));

        Api.admin().queryParam("email", "good1@" + domain).when().get("/api/subscribers").then().body("totalItems", equalTo(0));
    }

    @Test
    void addressesThatAlreadySubscribedAreAConflictAndNothingIsImported() {
        String domain = Api.unique("conflict") + ".example.test";
        Api.createSubscriber("taken@" + domain, List.of(Api.unique("taken")), List.of());
        String csv = HEADER + "new@" + domain + ",,,,\n" + "Taken@" + domain + ",,,,\n";

        Api.admin().contentType(Api.CSV).body(csv).when().post("/api/subscribers/import")
                .then().statusCode(409).body("errors", hasSize(1)).body("errors[0].line", equalTo(3))
                .body("errors[0].reason", containsString("already subscribed"));
        Api.admin().queryParam("email", "new@" + domain).when().get("/api/subscribers").then().body("totalItems", equalTo(0));
    }

    @Test
    void aFileWithoutTheHeaderOrOfAnotherTypeIsRefused() {
        Api.admin().contentType(Api.CSV).body("a@b.example,x,,,\n").when().post("/api/subscribers/import")
                .then().statusCode(400).body("errors[0].field", equalTo("header"));
        Api.admin().contentType("application/json").body("{}").when().post("/api/subscribers/import")
                .then().statusCode(415).contentType("application/problem+json").body("detail", containsString("text/csv"));
        assertThat(HEADER).startsWith("email");
    }

    @Test
    void aByteOrderMarkAtTheStartIsAcceptedAsSpreadsheetsWriteOne() {
        String domain = Api.unique("bom") + ".example.test";
        String line = "bom@" + domain + ",Excel,," + Api.unique("bom") + ",\r\n";
        byte[] csv = ("\uFEFF" + HEADER + line).getBytes(StandardCharsets.UTF_8);
        Api.admin().contentType(Api.CSV).body(csv).when().post("/api/subscribers/import")
                .then().statusCode(200).body("imported", equalTo(1));
        Api.admin().queryParam("email", "bom@" + domain).when().get("/api/subscribers").then().body("items[0].name", equalTo("Excel"));
    }

    @Test
    void aFileOfBadLinesGetsTheFirstHundredAndTheirCountInABoundedAnswer() {
        StringBuilder csv = new StringBuilder(HEADER);
        for (int i = 0; i < 50_000; i++) {
            csv.append("not-an-address-").append(i).append(",\"").append("n".repeat(150)).append("\",=formula,,\n");
        }
        String answer = Api.admin().contentType(Api.CSV).body(csv.toString()).when().post("/api/subscribers/import")
                .then().statusCode(400).contentType("application/problem+json")
                .body("errorCount", equalTo(100_000)).body("errors", hasSize(100))
                .body("errors[0].line", equalTo(2)).body("errors[0].field", equalTo("email"))
                .body("errors[1].field", equalTo("customerId")).body("errors[99].line", equalTo(51))
                .extract().asString();
        assertThat(answer.length()).as("the answer does not grow with the file").isLessThan(40_000);
    }

    @Test
    void moreLinesThanTheCapAre413AndNothingIsImported() {
        long cap = ConfigProvider.getConfig().getValue("notification.import.max-rows", Long.class);
        String domain = Api.unique("cap") + ".example.test";
        String csv = HEADER + "first@" + domain + ",,,,\n" + "\n".repeat((int) cap);
        Api.admin().contentType(Api.CSV).body(csv).when().post("/api/subscribers/import")
                .then().statusCode(413).contentType("application/problem+json").body("detail", containsString(cap + " lines"));
        Api.admin().queryParam("email", "first@" + domain).when().get("/api/subscribers").then().body("totalItems", equalTo(0));
    }

    @Test
    void cellsAreJudgedByTheFieldsSyntaxesAndOnlyTextCsvIsRead() {
        String domain = Api.unique("cells") + ".example.test";
        String csv = HEADER
                + "ok@" + domain + ",=SUM(A1) is just a name,,,\n"               // line 2: a name is free text
                + "formula@" + domain + ",,=cmd|' /C calc'!A0,,\n"               // line 3: a customer id is not
                + "nul@" + domain + ",A\u0000B,,,\n"                              // line 4
                + "service@" + domain + ",,,@teams,\n";                            // line 5
        Api.admin().contentType(Api.CSV).body(csv.getBytes(StandardCharsets.UTF_8)).when().post("/api/subscribers/import")
                .then().statusCode(400).body("errors.line", contains(3, 4, 5))
                .body("errors.field", contains("customerId", "name", "services"))
                .body("errors[1].reason", containsString("NUL"));
        for (String type : List.of("text/csvx", "text/plain", "text/csv; charset=iso-8859-1")) {
            Api.admin().contentType(type).body(HEADER + "x@" + domain + ",,,,\n").when().post("/api/subscribers/import")
                    .then().statusCode(415).contentType("application/problem+json");
        }
        Api.admin().body(HEADER.getBytes(StandardCharsets.UTF_8)).when().post("/api/subscribers/import")
                .then().statusCode(415);
        Api.admin().queryParam("customerId", "formula").when().get("/api/subscribers").then().body("totalItems", equalTo(0));
    }

    @Test
    void aFileMayAddLanguageAndTimeZoneColumnsInAnyOrderAndEmptyCellsMeanNone() {
        String domain = Api.unique("lang-csv") + ".example.test";
        String service = Api.unique("lang-csv");
        String csv = "timeZone,email,name,customerId,services,regions,locale\n"
                + "Europe/Berlin,de@" + domain + ",Jörg,," + service + ",,de\n"
                + ",en@" + domain + ",,," + service + ",,\n";
        Api.admin().contentType(Api.CSV).body(csv.getBytes(StandardCharsets.UTF_8)).when().post("/api/subscribers/import")
                .then().statusCode(200).body("imported", equalTo(2));
        Api.admin().queryParam("email", "de@" + domain).when().get("/api/subscribers")
                .then().body("items[0].locale", equalTo("de")).body("items[0].timeZone", equalTo("Europe/Berlin"))
                .body("items[0].name", equalTo("Jörg"));
        Api.admin().queryParam("email", "en@" + domain).when().get("/api/subscribers")
                .then().body("items[0].locale", equalTo(null)).body("items[0].timeZone", equalTo(null));

        Api.admin().contentType(Api.CSV).body(HEADER.strip() + ",locale,locale\nx@" + domain + ",,,,,de,de\n")
                .when().post("/api/subscribers/import")
                .then().statusCode(400).body("errors[0].field", equalTo("header"));
        Api.admin().contentType(Api.CSV).body(HEADER.strip() + ",language\ny@" + domain + ",,,,,de\n")
                .when().post("/api/subscribers/import")
                .then().statusCode(400).body("errors[0].field", equalTo("header"));
    }

    @Test
    void linesNamingOnlyALanguageOrZoneNoticesCannotBeWrittenInAre422AndNothingIsImported() {
        String domain = Api.unique("lang-csv422") + ".example.test";
        String header = "email,name,customerId,services,regions,locale,timeZone\n";
        String csv = header
                + "fine@" + domain + ",,,,,de,Europe/Vienna\n"           // line 2
                + "french@" + domain + ",,,,,fr,\n"                      // line 3
                + "mars@" + domain + ",,,,,,Mars/Olympus_Mons\n";        // line 4
        Api.admin().contentType(Api.CSV).body(csv).when().post("/api/subscribers/import")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.line", contains(3, 4)).body("errors.field", contains("locale", "timeZone"));
        Api.admin().contentType(Api.CSV).body(csv + "not-an-address,,,,,,\n").when().post("/api/subscribers/import")
                .then().statusCode(400).body("errors.field", contains("locale", "timeZone", "email"));
        Api.admin().queryParam("email", "fine@" + domain).when().get("/api/subscribers").then().body("totalItems", equalTo(0));
    }
}

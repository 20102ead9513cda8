package dev.incidentplatform.notification.mail;

import static dev.incidentplatform.notification.support.TestEvents.component;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.mail.BodyPart;
import jakarta.mail.MessagingException;
import jakarta.mail.Multipart;
import jakarta.mail.Part;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;

import org.junit.jupiter.api.Test;

import com.icegreen.greenmail.util.GreenMailUtil;

import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.support.Mails;
import dev.incidentplatform.notification.support.Mails.Received;
import dev.incidentplatform.notification.support.TestEvents;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The headers and MIME structure of notices as the real SMTP server received them, read raw and through Jakarta
 * Mail: no empty header, List-Id and Reply-To, a charset on every text part, subjects in RFC 2047 encoded words that
 * decode to any Unicode, and the reader's language and zone.
 */
@QuarkusTest
class MailHeadersTest {

    private static final Path SAMPLES = Path.of("target", "mail-samples");
    private static final String ENCODED_WORD = "=\\?(?i:utf-8)\\?[BbQq]\\?[^?\\s]+\\?=";

    @Test
    void anIncidentMailHasNoEmptyHeaderAListIdAReplyToAndASubjectOfEncodedWordsThatDecodesToAnyUnicode() throws Exception {
        String service = Api.unique("unicode");
        String address = "unicode@" + Api.unique("unicode") + ".example.test";
        Api.createSubscriber(address, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        String title = "Störung 🔥 in 東京: Ärger mit Übertragungen — 100 % 🚨";

        TestEvents.publish(TestEvents.incidentOpened(incidentId, title, "SEV1", List.of(component(service, "major_outage", "global"))));

        Received mail = Mails.awaitTo(address, 1).get(0);
        MimeMessage message = mail.message();
        assertThat(message.getSubject()).isEqualTo("[SEV1] " + title + " — Investigating (#" + incidentId.toString().substring(0, 8) + ")");
        String rawSubject = message.getHeader("Subject")[0];
        assertThat(rawSubject.chars().allMatch(c -> c < 0x80)).as(rawSubject).isTrue();
        assertThat(rawSubject).containsPattern(ENCODED_WORD).doesNotContain("??");
        for (String line : rawSubject.split("\r\n")) {
            assertThat(line.length()).as("folded: %s", line).isLessThanOrEqualTo(78);
        }

        String raw = keep("incident", message);
        String head = raw.substring(0, raw.indexOf("\r\n\r\n"));
        assertThat(head).doesNotContainPattern("(?im)^(Cc|Bcc):");
        assertThat(head).doesNotContainPattern("(?m)^[A-Za-z-]+:[ \t]*\r?$");
        assertThat(message.getHeader("Cc")).isNull();
        assertThat(mail.header("List-Id")).isEqualTo("Service status <status.notices.example.test>");
        assertThat(((InternetAddress) message.getReplyTo()[0]).getAddress()).isEqualTo("service-desk@example.test");
        assertThat(((InternetAddress) message.getReplyTo()[0]).getPersonal()).isEqualTo("Service desk");
        assertThat(((InternetAddress) message.getFrom()[0]).getAddress()).isEqualTo("status@incident-platform.local");
        assertThat(message.getHeader("Date")).isNotNull();
        assertThat(message.getContentType()).startsWith("multipart/alternative");
        assertThat(textParts(message)).extracting(MailHeadersTest::contentType)
                .containsExactly("text/plain; charset=utf-8", "text/html; charset=utf-8");
        assertThat(mail.text()).contains(title);
        assertThat(mail.html()).contains(title.replace("&", "&amp;"));
    }

    @Test
    void aCreditMailOfPlainAsciiTextStillDeclaresUtf8AndNamesTheIncidentByTitleAndWindow() throws Exception {
        String customer = Api.unique("ascii-credit");
        String service = Api.unique("ascii-credit");
        String address = "billing@" + Api.unique("ascii-credit") + ".example.test";
        Api.createSubscriber(address, customer, List.of(service), List.of());
        UUID incidentId = UUID.randomUUID();
        String title = "Virtual machines fail to start";
        List<TestEvents.Comp> down = List.of(component(service, "major_outage", "eu-west"));
        TestEvents.publish(TestEvents.incidentOpened(incidentId, title, "SEV2", down));
        TestEvents.publish(TestEvents.updatePosted(incidentId, 2, "resolved", "Recovered.",
                List.of(component(service, "operational", "eu-west"))));
        Mails.awaitTo(address, 2);

        TestEvents.publish(TestEvents.creditIssued(customer, incidentId));

        Received mail = Mails.awaitTo(address, 3).stream().filter(m -> m.subject().startsWith("Service credit")).findFirst()
                .orElseThrow();
        assertThat(textParts(mail.message())).extracting(MailHeadersTest::contentType)
                .containsExactly("text/plain; charset=utf-8", "text/html; charset=utf-8");
        assertThat(keep("credit", mail.message())).doesNotContainPattern("(?im)^Cc:");
        assertThat(mail.message().getHeader("Cc")).isNull();
        assertThat(mail.header("List-Id")).isEqualTo("Service status <status.notices.example.test>");
        // SMTP carries lines ending in CRLF; compare the text by its lines.
        String text = mail.text().replace("\r\n", "\n");
        assertThat(text).startsWith("Hello Test " + address + ",").contains("- " + title + "\n")
                .containsPattern("\n  [0-9]{1,2} [A-Z][a-z]{2} [0-9]{4}, [0-9]{2}:[0-9]{2}( – [0-9]{2}:[0-9]{2} UTC| UTC – .+ UTC)\n")
                .doesNotContain(customer);
        assertThat(mail.html()).contains(">" + title + "</a>").doesNotContain(customer);
        String withoutLinks = (mail.text() + mail.html()).replaceAll("https://[^\\s\"<]+", "");
        assertThat(withoutLinks).doesNotContain(incidentId.toString());
    }

    @Test
    void aGermanReaderInBerlinGetsTheMailInGermanWithBerlinTimes() throws Exception {
        String service = Api.unique("deutsch");
        String address = "leser@" + Api.unique("deutsch") + ".example.test";
        Api.admin().contentType("application/json").body(Map.of("email", address, "name", "Jörg", "services", List.of(service),
                "locale", "de", "timeZone", "Europe/Berlin")).when().post("/api/subscribers").then().statusCode(201);
        UUID incidentId = UUID.randomUUID();

        TestEvents.publish(TestEvents.incidentOpened(incidentId, "Anmeldung schlägt fehl", "SEV3",
                List.of(component(service, "partial_outage", "global"))));

        Received mail = Mails.awaitTo(address, 1).get(0);
        assertThat(mail.message().getSubject()).isEqualTo("[SEV3] Anmeldung schlägt fehl — Wird untersucht (#"
                + incidentId.toString().substring(0, 8) + ")");
        assertThat(mail.text()).contains("Vorfall ansehen: https://status.example.test/incidents/" + incidentId)
                .contains(service + " (Alle Regionen): Teilausfall").containsPattern("Beginn: [0-9]{1,2}\\. .+ [0-9]{4}, "
                        + "[0-9]{2}:[0-9]{2} (MEZ|MESZ)")
                .contains("Abbestellen: https://status.example.test/unsubscribe?token=");
        assertThat(mail.html()).contains("<html lang=\"de\">").contains(">Vorfall ansehen</a>");
    }

    /** The message exactly as the server received it, kept in target/mail-samples/ for a look with other tools. */
    private static String keep(String name, MimeMessage message) throws IOException {
        String raw = GreenMailUtil.getWholeMessage(message);
        Files.createDirectories(SAMPLES);
        Files.writeString(SAMPLES.resolve(name + ".eml"), raw, StandardCharsets.US_ASCII);
        return raw;
    }

    private static List<Part> textParts(MimeMessage message) throws MessagingException, IOException {
        List<Part> parts = new ArrayList<>();
        Multipart alternative = (Multipart) message.getContent();
        for (int i = 0; i < alternative.getCount(); i++) {
            BodyPart part = alternative.getBodyPart(i);
            parts.add(part);
        }
        return parts;
    }

    private static String contentType(Part part) {
        try {
            return part.getContentType().replaceAll("\\s+", " ").toLowerCase();
        } catch (MessagingException e) {
            throw new IllegalStateException(e);
        }
    }
}

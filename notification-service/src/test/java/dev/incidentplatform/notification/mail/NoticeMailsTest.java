package dev.incidentplatform.notification.mail;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import dev.incidentplatform.notification.config.NotificationConfig;
import io.quarkus.test.junit.QuarkusTest;

/**
 * What a notice mail says, in each language, rendered by the real templates and message bundles from stored notice
 * JSON; the HTML layout itself is judged in a browser by NoticeScreenshotsTest.
 */
@QuarkusTest
class NoticeMailsTest {

    @Inject
    NoticeMails mails;

    @Test
    void theSubjectCarriesSeverityTitleStatusAndShortIdOnOneLine() {
        OutgoingMail mail = render(NoticeSamples.ENGLISH_UTC, NoticeSamples.opened("Teams down\r\nBcc: everyone@example.com"));
        assertThat(mail.subject()).isEqualTo("[SEV1] Teams down Bcc: everyone@example.com — Investigating (#7d0c2a4e)");
        assertThat(render(NoticeSamples.GERMAN_BERLIN, NoticeSamples.opened("Teams gestört")).subject())
                .isEqualTo("[SEV1] Teams gestört — Wird untersucht (#7d0c2a4e)");
    }

    @Test
    void anIncidentMailLinksTheIncidentAndTheSubscriptionAndShowsNoRawUrlInItsHtml() {
        OutgoingMail mail = render(NoticeSamples.ENGLISH_UTC, NoticeSamples.opened("Storage unavailable"));
        String incidentPage = "https://status.example.test/incidents/" + NoticeSamples.INCIDENT;
        assertThat(mail.html()).contains("href=\"" + incidentPage + "\"").contains(">View incident</a>")
                .contains("href=\"https://status.example.test/\"").contains(">Manage subscription</a>")
                .contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .contains("max-width:600px").doesNotContain("<style");
        String visible = mail.html().replaceAll("(?s)<head>.*</head>", "").replaceAll("<[^>]*>", " ");
        assertThat(visible).doesNotContain("https://").doesNotContain("unsubscribe?token");
        assertThat(mail.text()).contains("View incident: " + incidentPage).contains("Manage subscription: https://status.example.test/")
                .contains("Unsubscribe: https://status.example.test/unsubscribe?token=")
                .contains("Started: 3 Jul 2024, 14:05 UTC")
                .contains("- azure-virtual-machines (eu-west, us-east): Major outage")
                .contains("- storage (All regions): Degraded performance");
        assertThat(mail.html()).contains("Major outage").contains("background-color:#fee2e2")
                .contains("Degraded performance").contains("All regions");
        assertThat(mail.headers()).containsEntry("List-Id", "Service status <status.notices.example.test>")
                .containsEntry("List-Unsubscribe-Post", "List-Unsubscribe=One-Click")
                .containsEntry("X-Incident-Id", NoticeSamples.INCIDENT.toString()).doesNotContainKey("Cc");
    }

    @Test
    void severalUpdatesInOneMailShowTheLatestFirstAndTheEarlierOnesBeneath() {
        OutgoingMail mail = render(NoticeSamples.ENGLISH_UTC, NoticeSamples.coalesced());
        assertThat(mail.subject()).contains("— Monitoring");
        assertThat(mail.text()).contains("This notice covers 3 updates posted in quick succession, the latest first.");
        int latest = mail.text().indexOf("Latest update");
        int earlier = mail.text().indexOf("Earlier updates");
        assertThat(latest).isPositive().isLessThan(mail.text().indexOf("A fix is rolling out"));
        assertThat(mail.text().indexOf("A fix is rolling out")).isLessThan(earlier);
        assertThat(earlier).isLessThan(mail.text().indexOf("The cause is a faulty storage firmware update"));
        assertThat(mail.text().indexOf("The cause is a faulty storage firmware update"))
                .isLessThan(mail.text().indexOf("We are investigating failures"));
        assertThat(mail.html().indexOf("A fix is rolling out")).isLessThan(mail.html().indexOf("We are investigating failures"));
    }

    @Test
    void aReviewShowsRootCauseImpactAndMeasures() {
        OutgoingMail mail = render(NoticeSamples.ENGLISH_UTC, NoticeSamples.review());
        assertThat(mail.subject()).isEqualTo("[SEV2] Storage unavailable in eu-west — Post-incident review (#7d0c2a4e)");
        assertThat(mail.text()).contains("Post-incident review, version 1").contains("Root cause:")
                .contains("A configuration push <without> a canary & a staged rollout.").contains("- Staged rollouts");
        assertThat(mail.html()).contains("A configuration push &lt;without&gt; a canary &amp; a staged rollout.")
                .contains("Staged rollouts").contains("Started: 3 Jul 2024, 14:05 UTC");
    }

    @Test
    void germanReadersGetGermanTextsAndDatesInTheirZone() {
        OutgoingMail mail = render(NoticeSamples.GERMAN_BERLIN, NoticeSamples.coalesced());
        assertThat(mail.subject()).contains("— Wird beobachtet");
        assertThat(mail.text()).contains("Vorfall ansehen: ").contains("Neueste Meldung").contains("Frühere Meldungen")
                .contains("Beginn: 3. Juli 2024, 16:05 MESZ").contains("Betroffene Dienste")
                .contains("Abbestellen: https://status.example.test/unsubscribe?token=")
                .doesNotContain("View incident").doesNotContain("UTC");
        assertThat(mail.html()).startsWith("<!DOCTYPE html>\n<html lang=\"de\">").contains(">Vorfall ansehen</a>")
                .contains("Teilausfall").contains("Wartung").doesNotContain("Partial outage");
    }

    @Test
    void aCreditGreetsByNameAndNamesEachIncidentByTitleWithItsWindowNeverByIdOrCustomer() {
        OutgoingMail mail = render(NoticeSamples.ENGLISH_NEW_YORK, NoticeSamples.credit());
        assertThat(mail.subject()).isEqualTo("Service credit for azure-virtual-machines, July 2024: 1,250.00 USD");
        assertThat(mail.text()).startsWith("Hello Ada Lovelace,")
                .contains("Credit: 1,250.00 USD (10 % of the monthly fee)").contains("Downtime: 331 minutes")
                .contains("Monthly uptime: 99.2585 %")
                .contains("- Virtual machines fail to start in eu-west\n  3 Jul 2024, 10:05 – 15:36 EDT")
                .contains("- Incident 0b7e6c1d\n")
                .contains("since 20 Jul 2024, 20:00 EDT, not resolved yet");
        for (String part : List.of(mail.text(), mail.html())) {
            assertThat(part).doesNotContain("contoso-4711");
            String withoutLinks = part.replaceAll("https://[^\\s\"<]+", "");
            assertThat(withoutLinks).doesNotContainPattern("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        }
        assertThat(mail.html()).contains("href=\"https://status.example.test/incidents/" + NoticeSamples.INCIDENT + "\"");
    }

    @Test
    void aCreditWithoutANameOrIncidentDetailsStillReadsWell() {
        EmailRecipient anonymous = new EmailRecipient(UUID.randomUUID(), "billing@example.test", null, "contoso-4711", "de",
                null);
        OutgoingMail mail = mails.render(anonymous, null, "<credit@notices.example.test>", null,
                List.of(NoticeSamples.creditAsFirstStored()));
        assertThat(mail.subject()).isEqualTo("Servicegutschrift für azure-virtual-machines, Juli 2024: 1.250,00 USD");
        assertThat(mail.text()).startsWith("Guten Tag,").contains("Vorfall 7d0c2a4e").contains("Ausfallzeit: 331 Minuten")
                .contains("Monatliche Verfügbarkeit: 99,2585 %").doesNotContain("contoso-4711");
    }

    @Test
    void anExtensionCreditSaysHowManyDays() {
        OutgoingMail mail = render(NoticeSamples.ENGLISH_UTC, NoticeSamples.extensionCredit());
        assertThat(mail.subject()).isEqualTo("Service credit for azure-virtual-machines, July 2024: 3 days of subscription extension");
        assertThat(mail.text()).contains("Extension: 3 days of subscription extension").doesNotContain("Credit:")
                .contains("so an additional service credit has been issued");
    }

    @Test
    void theListIdIsConfigurableAndMustBeAnRfc2919Id() {
        assertThat(NoticeMails.listId(mail(Optional.empty()))).isEqualTo("Service status <status.notices.example.test>");
        assertThat(NoticeMails.listId(mail(Optional.of("<notices.contoso.example>")))).isEqualTo("<notices.contoso.example>");
        for (String bad : List.of("status", "Service status <status>", "Service status <a..b>", "<x.example>\r\nBcc: y",
                "Störungen <status.example.com>")) {
            assertThatThrownBy(() -> NoticeMails.listId(mail(Optional.of(bad)))).as(bad)
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("notification.mail.list-id");
        }
    }

    private OutgoingMail render(EmailRecipient recipient, NoticeSamples.Sample sample) {
        return mails.render(recipient, sample.incidentId(), "<m@notices.example.test>", null, sample.notices());
    }

    private static NotificationConfig.Mail mail(Optional<String> listId) {
        return new NotificationConfig.Mail() {
            @Override
            public String messageIdDomain() {
                return "notices.example.test";
            }

            @Override
            public Optional<String> replyTo() {
                return Optional.empty();
            }

            @Override
            public Optional<String> listId() {
                return listId;
            }

            @Override
            public java.time.Duration sendTimeout() {
                return java.time.Duration.ofSeconds(1);
            }
        };
    }
}

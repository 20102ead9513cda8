package dev.incidentplatform.notification.mail;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Notice;
import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.CreditNotice.CreditedIncident;
import dev.incidentplatform.notification.domain.CreditNotice;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.domain.Language;
import dev.incidentplatform.notification.domain.NoticeDigest;
import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.links.PublicPages;
import dev.incidentplatform.notification.notice.StoredNotices;
import dev.incidentplatform.notification.unsubscribe.UnsubscribeLinks;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * Renders a delivery into an email in its reader's language and time zone: Qute templates for the text and HTML parts
 * (the HTML template escapes every value and carries its styles inline), the subject, thread headers, the list's
 * RFC 2919 id and the RFC 8058 unsubscribe headers.
 */
@ApplicationScoped
public class NoticeMails {

    /**
     * RFC 2919: an optional phrase (printable ASCII here, so the header needs no encoding), then the list's id in angle
     * brackets: a label and a domain-like namespace.
     */
    private static final Pattern LIST_ID = Pattern.compile(
            "^[\\x20-\\x3B\\x3D\\x3F-\\x7E]*<[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)+>$");

    @CheckedTemplate(basePath = "notices")
    static class Templates {
        static native TemplateInstance incident(IncidentMail mail);

        static native TemplateInstance incidentHtml(IncidentMail mail);

        static native TemplateInstance credit(CreditMail mail);

        static native TemplateInstance creditHtml(CreditMail mail);
    }

    /** What the footer of every notice links to. */
    @TemplateData
    public record Footer(String manageUrl, String unsubscribeUrl) {
    }

    @TemplateData
    public record IncidentMail(String language, String subject, String preview, String title, String severity,
            Badge status, String shortId, String startedAt, String incidentUrl, UpdateLine latest, List<UpdateLine> earlier,
            int updateCount, List<ComponentLine> components, ReviewView review, Footer footer) {

        public boolean coalesced() {
            return updateCount > 1;
        }
    }

    @TemplateData
    public record ComponentLine(String service, String regions, Badge status) {
    }

    @TemplateData
    public record UpdateLine(String at, Badge status, String message) {
    }

    @TemplateData
    public record ReviewView(int version, String rootCause, String impactSummary, List<String> preventativeMeasures) {
    }

    @TemplateData
    public record CreditMail(String language, String subject, String preview, String greeting, String summary,
            String service, String month, String amount, String creditPercent, Integer extensionDays,
            String downtimeMinutes, String uptimePercent, List<IncidentLine> incidents, Footer footer) {
    }

    /** A credited incident by its title (never its bare id), with its outage window and its page. */
    @TemplateData
    public record IncidentLine(String title, String window, String url) {
    }

    private final StoredNotices stored;
    private final UnsubscribeLinks unsubscribeLinks;
    private final PublicPages pages;
    private final String listId;

    public NoticeMails(StoredNotices stored, UnsubscribeLinks unsubscribeLinks, PublicPages pages, NotificationConfig config) {
        this.stored = stored;
        this.unsubscribeLinks = unsubscribeLinks;
        this.pages = pages;
        this.listId = listId(config.mail());
    }

    /** The List-Id header: the configured one, else {@code Service status <status.{message-id-domain}>}. */
    static String listId(NotificationConfig.Mail mail) {
        String id = mail.listId().orElse("Service status <status." + mail.messageIdDomain() + ">");
        if (!LIST_ID.matcher(id).matches()) {
            throw new IllegalStateException("notification.mail.list-id must be an RFC 2919 list id such as"
                    + " 'Service status <status.example.com>', not '" + id + "'");
        }
        return id;
    }

    /**
     * @param messageId this mail's Message-ID
     * @param threadRoot the Message-ID of the thread's first mail when this one replies to it, else null
     */
    public OutgoingMail render(Delivery delivery, EmailRecipient recipient, String messageId, String threadRoot) {
        return render(recipient, delivery.incidentId(), messageId, threadRoot,
                delivery.notices().stream().map(Notice::content).toList());
    }

    /**
     * The mail of one delivery.
     *
     * @param incidentId null for a credit notice
     * @param threadRoot the Message-ID of the thread's first mail when this one replies to it, else null
     * @param notices the stored notice JSON it carries (its own and those it covers)
     */
    public OutgoingMail render(EmailRecipient recipient, UUID incidentId, String messageId, String threadRoot,
            List<String> notices) {
        Language language = Language.orDefault(recipient.locale());
        NoticeMessages messages = messages(language);
        ReaderFormats formats = new ReaderFormats(messages, language, ReaderFormats.zoneOf(recipient.timeZone()));
        Footer footer = new Footer(pages.home(), unsubscribeLinks.url(recipient.subscriberId()));
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Message-ID", messageId);
        if (threadRoot != null) {
            headers.put("In-Reply-To", threadRoot);
            headers.put("References", threadRoot);
        }
        headers.put("List-Id", listId);
        headers.put("List-Unsubscribe", "<" + footer.unsubscribeUrl() + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("Auto-Submitted", "auto-generated");
        if (incidentId == null) {
            CreditMail mail = creditMail(stored.credit(notices.get(notices.size() - 1)), recipient, messages, formats,
                    pages::incident, footer);
            return new OutgoingMail(recipient.email(), mail.subject(), localized(Templates.credit(mail), formats),
                    localized(Templates.creditHtml(mail), formats), headers);
        }
        List<IncidentNotice> read = new ArrayList<>();
        notices.forEach(json -> read.add(stored.incident(json)));
        IncidentMail mail = incidentMail(NoticeDigest.of(read), messages, formats, pages.incident(incidentId), footer);
        headers.put("X-Incident-Id", incidentId.toString());
        return new OutgoingMail(recipient.email(), mail.subject(), localized(Templates.incident(mail), formats),
                localized(Templates.incidentHtml(mail), formats), headers);
    }

    static NoticeMessages messages(Language language) {
        return MessageBundles.get(NoticeMessages.class, Localized.Literal.of(language.tag()));
    }

    private static String localized(TemplateInstance template, ReaderFormats formats) {
        return template.setLocale(formats.locale()).render();
    }

    static IncidentMail incidentMail(NoticeDigest digest, NoticeMessages messages, ReaderFormats formats, String incidentUrl,
            Footer footer) {
        IncidentNotice latest = digest.latest();
        Badge status = latest.review() != null ? Badge.Palette.PURPLE.badge(messages.review())
                : incidentStatus(latest.status(), messages);
        String subject = headerSafe((latest.severity() == null ? "" : "[" + latest.severity() + "] ") + latest.title()
                + " — " + status.label() + " (#" + latest.shortId() + ")");
        List<UpdateLine> updates = new ArrayList<>();
        for (IncidentNotice notice : digest.updates()) {
            if (notice.review() == null) {
                updates.add(0, new UpdateLine(formats.dateTime(notice.effectiveAt()), incidentStatus(notice.status(), messages),
                        notice.message()));
            }
        }
        List<ComponentLine> components = componentsOf(digest).stream().map(c -> new ComponentLine(c.service(),
                c.global() ? messages.allRegions() : String.join(", ", c.regions()), componentStatus(c.status(), messages)))
                .toList();
        ReviewView review = latest.review() == null ? null
                : new ReviewView(latest.review().reviewVersion(), latest.review().rootCause(), latest.review().impactSummary(),
                        latest.review().preventativeMeasures());
        UpdateLine newest = updates.isEmpty() ? null : updates.get(0);
        String preview = review != null ? review.impactSummary() : newest == null ? "" : newest.message();
        return new IncidentMail(formats.locale().getLanguage(), subject, preview(preview), latest.title(), latest.severity(),
                status, latest.shortId(), startedAt(digest, formats), incidentUrl, newest,
                updates.isEmpty() ? List.of() : updates.subList(1, updates.size()), updates.size(), components, review, footer);
    }

    /** The latest components any notice of the digest states (a review states none: it shows the last ones known). */
    private static List<Component> componentsOf(NoticeDigest digest) {
        List<IncidentNotice> updates = digest.updates();
        for (int i = updates.size() - 1; i >= 0; i--) {
            if (!updates.get(i).components().isEmpty()) {
                return updates.get(i).components();
            }
        }
        return List.of();
    }

    private static String startedAt(NoticeDigest digest, ReaderFormats formats) {
        for (IncidentNotice notice : digest.updates()) {
            if (notice.startedAt() != null) {
                return formats.dateTime(notice.startedAt());
            }
        }
        return null;
    }

    static CreditMail creditMail(CreditNotice notice, EmailRecipient recipient, NoticeMessages messages, ReaderFormats formats,
            Function<UUID, String> incidentPage, Footer footer) {
        CreditIssued credit = notice.credit();
        String month = formats.month(credit.billingMonth());
        String amount = credit.amount() == null ? null
                : formats.number(credit.amount().amount()) + " " + credit.amount().currency();
        String granted = amount != null ? amount : messages.extensionDays(credit.extensionDays());
        String subject = headerSafe(messages.creditSubject(credit.service(), month, granted));
        boolean adjustment = "adjustment".equals(credit.kind());
        String summary = adjustment ? messages.creditAdjusted(credit.service(), month)
                : messages.creditIssued(credit.service(), month);
        String greeting = recipient.name() == null ? messages.greetingWithoutName() : messages.greeting(recipient.name());
        List<IncidentLine> incidents = notice.incidents().stream()
                .map(incident -> incidentLine(incident, messages, formats, incidentPage))
                .toList();
        return new CreditMail(formats.locale().getLanguage(), subject, preview(summary), greeting, summary, credit.service(),
                month, amount, measurement(credit.creditPercent(), formats), credit.extensionDays(),
                measurement(credit.downtimeMinutes(), formats), measurement(credit.monthlyUptimePercent(), formats), incidents,
                footer);
    }

    private static IncidentLine incidentLine(CreditedIncident incident, NoticeMessages messages, ReaderFormats formats,
            Function<UUID, String> incidentPage) {
        String title = incident.title() == null ? messages.unknownIncident(incident.shortId()) : incident.title();
        return new IncidentLine(title, formats.window(incident.startedAt(), incident.resolvedAt()),
                incidentPage.apply(incident.incidentId()));
    }

    /** Incident text becomes a header: no line breaks or other control characters may reach it. */
    static String headerSafe(String subject) {
        return subject.replaceAll("\\p{Cntrl}+", " ");
    }

    /** The first words of a text, for the preview line mail clients show beside the subject. */
    static String preview(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s+", " ").strip();
        return flat.length() <= 140 ? flat : flat.substring(0, flat.offsetByCodePoints(0, 137)) + "…";
    }

    static Badge incidentStatus(String status, NoticeMessages messages) {
        return switch (status == null ? "" : status) {
            case "investigating" -> Badge.Palette.RED.badge(messages.investigating());
            case "identified" -> Badge.Palette.ORANGE.badge(messages.identified());
            case "monitoring" -> Badge.Palette.BLUE.badge(messages.monitoring());
            case "resolved" -> Badge.Palette.GREEN.badge(messages.resolved());
            default -> Badge.Palette.GRAY.badge(label(status));
        };
    }

    static Badge componentStatus(String status, NoticeMessages messages) {
        return switch (status == null ? "" : status) {
            case "operational" -> Badge.Palette.GREEN.badge(messages.operational());
            case "degraded_performance" -> Badge.Palette.YELLOW.badge(messages.degradedPerformance());
            case "partial_outage" -> Badge.Palette.ORANGE.badge(messages.partialOutage());
            case "major_outage" -> Badge.Palette.RED.badge(messages.majorOutage());
            case "under_maintenance" -> Badge.Palette.BLUE.badge(messages.underMaintenance());
            default -> Badge.Palette.GRAY.badge(label(status));
        };
    }

    /** A status no message names yet ({@code some_new_state} → {@code Some new state}): shown rather than dropped. */
    static String label(String status) {
        if (status == null || status.isEmpty()) {
            return "";
        }
        String words = status.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    /** A measurement as the event carried it (331, 99.2585), in the reader's number format. */
    private static String measurement(BigDecimal value, ReaderFormats formats) {
        return value == null ? null : formats.number(value.stripTrailingZeros().scale() < 0
                ? value.setScale(0) : value.stripTrailingZeros());
    }

}

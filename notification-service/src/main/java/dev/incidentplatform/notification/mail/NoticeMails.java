package dev.incidentplatform.notification.mail;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.delivery.ClaimedDelivery;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.domain.NoticeDigest;
import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.unsubscribe.UnsubscribeLinks;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateData;
import io.quarkus.qute.TemplateInstance;

/**
 * Renders a claimed delivery into an email: Qute templates for the text and HTML parts (the HTML template escapes
 * every value), the subject, thread headers and RFC 8058 unsubscribe headers.
 */
@ApplicationScoped
public class NoticeMails {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    @CheckedTemplate(basePath = "notices")
    static class Templates {
        static native TemplateInstance incident(IncidentMail mail);

        static native TemplateInstance incidentHtml(IncidentMail mail);

        static native TemplateInstance credit(CreditMail mail);

        static native TemplateInstance creditHtml(CreditMail mail);
    }

    @TemplateData
    public record IncidentMail(String subject, String shortId, String title, String severity, String status,
            List<ComponentLine> components, List<UpdateLine> updates, boolean coalesced, ReviewView review,
            String unsubscribeUrl) {
    }

    @TemplateData
    public record ComponentLine(String service, String regions, String status) {
    }

    @TemplateData
    public record UpdateLine(String at, String status, String message) {
    }

    @TemplateData
    public record ReviewView(int version, String rootCause, String impactSummary, List<String> preventativeMeasures) {
    }

    @TemplateData
    public record CreditMail(String subject, String customerId, String service, String month, String amount,
            Integer extensionDays, String creditPercent, String downtimeMinutes, String uptimePercent, boolean adjustment,
            List<String> incidents, String unsubscribeUrl) {
    }

    private final ObjectMapper mapper;
    private final UnsubscribeLinks links;

    public NoticeMails(ObjectMapper mapper, UnsubscribeLinks links) {
        this.mapper = mapper;
        this.links = links;
    }

    public OutgoingMail render(ClaimedDelivery delivery) {
        String unsubscribeUrl = links.url(delivery.subscriberId());
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Message-ID", delivery.messageId());
        if (delivery.threadRoot() != null) {
            headers.put("In-Reply-To", delivery.threadRoot());
            headers.put("References", delivery.threadRoot());
        }
        headers.put("List-Unsubscribe", "<" + unsubscribeUrl + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("Auto-Submitted", "auto-generated");
        if (delivery.incidentId() == null) {
            CreditMail mail = creditMail(read(delivery.notices().get(0), CreditIssued.class), unsubscribeUrl);
            return new OutgoingMail(delivery.email(), mail.subject(), Templates.credit(mail).render(),
                    Templates.creditHtml(mail).render(), headers);
        }
        List<IncidentNotice> notices = new ArrayList<>();
        delivery.notices().forEach(json -> notices.add(read(json, IncidentNotice.class)));
        IncidentMail mail = incidentMail(NoticeDigest.of(notices), unsubscribeUrl);
        headers.put("X-Incident-Id", delivery.incidentId().toString());
        return new OutgoingMail(delivery.email(), mail.subject(), Templates.incident(mail).render(),
                Templates.incidentHtml(mail).render(), headers);
    }

    static IncidentMail incidentMail(NoticeDigest digest, String unsubscribeUrl) {
        IncidentNotice latest = digest.latest();
        String status = latest.review() != null ? "Post-incident review" : label(latest.status());
        String subject = (latest.severity() == null ? "" : "[" + latest.severity() + "] ") + latest.title() + " — " + status
                + " (#" + latest.shortId() + ")";
        List<ComponentLine> components = latest.components().stream()
                .map(c -> new ComponentLine(c.service(), String.join(", ", c.regions()), label(c.status()))).toList();
        List<UpdateLine> updates = digest.updates().stream().filter(n -> n.review() == null)
                .map(n -> new UpdateLine(time(n.effectiveAt()), label(n.status()), n.message())).toList();
        ReviewView review = latest.review() == null ? null
                : new ReviewView(latest.review().reviewVersion(), latest.review().rootCause(), latest.review().impactSummary(),
                        latest.review().preventativeMeasures());
        return new IncidentMail(headerSafe(subject), latest.shortId(), latest.title(), latest.severity(), status, components, updates,
                digest.coalesced(), review, unsubscribeUrl);
    }

    static CreditMail creditMail(CreditIssued credit, String unsubscribeUrl) {
        String month = credit.billingMonth().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
                + credit.billingMonth().getYear();
        String amount = credit.amount() == null ? null
                : credit.amount().amount().toPlainString() + " " + credit.amount().currency();
        String granted = amount != null ? amount : credit.extensionDays() + " days of subscription extension";
        String subject = "Service credit for " + credit.service() + ", " + month + ": " + granted;
        List<String> incidents = credit.incidentIds().stream().map(UUID::toString).toList();
        return new CreditMail(headerSafe(subject), credit.customerId(), credit.service(), month, amount, credit.extensionDays(),
                plain(credit.creditPercent()), plain(credit.downtimeMinutes()), plain(credit.monthlyUptimePercent()),
                "adjustment".equals(credit.kind()), incidents, unsubscribeUrl);
    }

    /** Incident text becomes a header: no line breaks or other control characters may reach it. */
    static String headerSafe(String subject) {
        return subject.replaceAll("\\p{Cntrl}+", " ");
    }

    /** {@code partial_outage} → {@code Partial outage}. */
    static String label(String status) {
        if (status == null || status.isEmpty()) {
            return "";
        }
        String words = status.replace('_', ' ');
        return Character.toUpperCase(words.charAt(0)) + words.substring(1);
    }

    private static String time(Instant instant) {
        return instant == null ? "" : TIME.format(instant);
    }

    private static String plain(BigDecimal value) {
        return value == null ? null : value.stripTrailingZeros().toPlainString();
    }

    private <T> T read(String json, Class<T> type) {
        try {
            return mapper.readValue(json, type);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("A stored notice cannot be read as " + type.getSimpleName(), e);
        }
    }
}

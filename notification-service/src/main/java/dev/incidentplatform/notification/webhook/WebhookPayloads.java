package dev.incidentplatform.notification.webhook;

import java.math.BigDecimal;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.incidentplatform.notification.channel.Delivery;
import dev.incidentplatform.notification.channel.Notice;
import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.domain.NoticeDigest;
import dev.incidentplatform.notification.domain.event.CreditIssued;
import dev.incidentplatform.notification.links.PublicPages;
import dev.incidentplatform.notification.notice.StoredNotices;
import io.cloudevents.CloudEvent;
import io.cloudevents.core.builder.CloudEventBuilder;
import io.cloudevents.jackson.JsonFormat;

/**
 * What a webhook delivery's body is, by the endpoint's format. {@code generic}: the CloudEvents 1.0 structured JSON of
 * the delivery's own notice (type = the notice's event type, data = the notice as stored). {@code slack}: a Block Kit
 * message for incoming webhooks. {@code teams}: an Adaptive Card 1.4 message as Teams workflows take it. A delivery
 * that carries coalesced notices shows the latest state, and Slack and Teams list the earlier updates under it.
 * Text from incidents is escaped so that it can never become a link or markup of the receiving chat.
 */
@ApplicationScoped
public class WebhookPayloads {

    public static final String CLOUDEVENTS_JSON = JsonFormat.CONTENT_TYPE;
    public static final String JSON = "application/json";
    public static final URI SOURCE = URI.create("/notification-service");
    static final String ADAPTIVE_CARD = "application/vnd.microsoft.card.adaptive";
    /** Slack's limits (Block Kit reference): header 150, section text 3000, field 2000, 10 fields, button text 75. */
    private static final int SLACK_HEADER = 150;
    private static final int SLACK_TEXT = 3000;
    private static final int SLACK_FIELD = 2000;
    private static final int SLACK_FIELDS = 10;
    private static final int EARLIER_UPDATES = 10;
    private static final int TEAMS_TEXT = 4000;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);

    private final ObjectMapper mapper;
    private final StoredNotices stored;
    private final PublicPages pages;
    private final JsonFormat cloudEvents = new JsonFormat();

    public WebhookPayloads(ObjectMapper mapper, StoredNotices stored, PublicPages pages) {
        this.mapper = mapper;
        this.stored = stored;
        this.pages = pages;
    }

    /** A rendered body and its media type. */
    public record Payload(byte[] body, String contentType) {
    }

    public Payload render(Delivery delivery, String format) {
        return switch (format) {
            case "generic" -> new Payload(cloudEvents.serialize(cloudEvent(delivery.latest())), CLOUDEVENTS_JSON);
            case "slack" -> new Payload(bytes(slack(delivery)), JSON);
            case "teams" -> new Payload(bytes(teams(delivery)), JSON);
            default -> throw new IllegalArgumentException("no webhook format " + format);
        };
    }

    CloudEvent cloudEvent(Notice notice) {
        String subject = StoredNotices.isCredit(notice) ? stored.credit(notice.content()).credit().customerId()
                : stored.incident(notice.content()).incidentId().toString();
        return CloudEventBuilder.v1().withId(notice.eventId().toString()).withSource(SOURCE).withType(notice.eventType())
                .withSubject(subject).withTime(notice.occurredAt().atOffset(ZoneOffset.UTC))
                .withDataContentType(JSON).withData(notice.content().getBytes(StandardCharsets.UTF_8)).build();
    }

    /** What any chat message shows, whichever chat draws it. */
    private record Message(String headline, String fallback, List<Fact> facts, String message, String componentsTitle,
            List<Fact> components, List<Fact> earlier, List<Section> sections, String footer, String buttonText,
            String buttonUrl) {
    }

    private record Fact(String title, String value) {
    }

    private record Section(String title, String text) {
    }

    private Message message(Delivery delivery) {
        Notice own = delivery.latest();
        if (StoredNotices.isCredit(own)) {
            return creditMessage(stored.credit(own.content()).credit());
        }
        List<IncidentNotice> notices = new ArrayList<>();
        for (Notice notice : delivery.notices()) {
            if (!StoredNotices.isCredit(notice)) {
                notices.add(stored.incident(notice.content()));
            }
        }
        return incidentMessage(NoticeDigest.of(notices));
    }

    private Message incidentMessage(NoticeDigest digest) {
        IncidentNotice latest = digest.latest();
        boolean review = latest.review() != null;
        String status = review ? "Post-incident review" : label(latest.status());
        String headline = (latest.severity() == null ? "" : "[" + latest.severity() + "] ") + latest.title() + " — " + status;
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Status", review ? label(latest.status()) : status));
        if (latest.severity() != null) {
            facts.add(new Fact("Severity", latest.severity()));
        }
        facts.add(new Fact("Incident", "#" + latest.shortId()));
        List<Fact> components = new ArrayList<>();
        for (Component component : latest.components()) {
            components.add(new Fact(component.service(), label(component.status()) + " — " + String.join(", ", component.regions())));
        }
        List<Fact> earlier = new ArrayList<>();
        List<IncidentNotice> before = digest.updates().stream().filter(n -> n != latest && n.review() == null).toList();
        for (IncidentNotice update : before.subList(Math.max(0, before.size() - EARLIER_UPDATES), before.size())) {
            earlier.add(new Fact(time(update.effectiveAt()), label(update.status())
                    + (update.message() == null ? "" : ": " + update.message())));
        }
        List<Section> sections = new ArrayList<>();
        if (review) {
            sections.add(new Section("Root cause", latest.review().rootCause()));
            sections.add(new Section("Impact", latest.review().impactSummary()));
            if (!latest.review().preventativeMeasures().isEmpty()) {
                sections.add(new Section("Preventative measures", "• " + String.join("\n• ",
                        latest.review().preventativeMeasures())));
            }
        }
        return new Message(headline, headline + " (#" + latest.shortId() + ")", facts, latest.message(), "Affected",
                components, earlier, sections, "Updated " + time(latest.effectiveAt()) + " · Incident #" + latest.shortId(),
                "View incident", pages.incident(latest.incidentId()));
    }

    private Message creditMessage(CreditIssued credit) {
        String month = credit.billingMonth().getMonth().getDisplayName(TextStyle.FULL, Locale.ENGLISH) + " "
                + credit.billingMonth().getYear();
        String amount = credit.amount() == null ? null : credit.amount().amount().toPlainString() + " " + credit.amount().currency();
        String granted = amount != null ? amount : credit.extensionDays() + " days of subscription extension";
        String headline = "Service credit for " + credit.service() + ", " + month + ": " + granted;
        List<Fact> facts = new ArrayList<>();
        facts.add(new Fact("Customer", credit.customerId()));
        facts.add(new Fact("Credit", granted + ("adjustment".equals(credit.kind()) ? " (adjustment)" : "")));
        if (amount != null && credit.extensionDays() != null) {
            facts.add(new Fact("Extension", credit.extensionDays() + " days"));
        }
        facts.add(new Fact("Credit percent", plain(credit.creditPercent()) + " %"));
        facts.add(new Fact("Downtime", plain(credit.downtimeMinutes()) + " minutes"));
        facts.add(new Fact("Monthly uptime", plain(credit.monthlyUptimePercent()) + " %"));
        List<Section> sections = List.of(new Section("Incidents", String.join(", ",
                credit.incidentIds().stream().map(IncidentNotice::shortId).map(id -> "#" + id).toList())));
        return new Message(headline, headline, facts, null, null, List.of(), List.of(), sections,
                "Issued " + time(credit.issuedAt()), "View status page", pages.home());
    }

    ObjectNode slack(Delivery delivery) {
        Message message = message(delivery);
        ObjectNode root = mapper.createObjectNode();
        // The fallback (notifications, clients without blocks) is read as mrkdwn: a title could otherwise mention @channel.
        root.put("text", cut(slackEscape(message.fallback()), SLACK_TEXT));
        ArrayNode blocks = root.putArray("blocks");
        // plain_text is never parsed for links or mentions: the title goes as it is.
        ObjectNode header = blocks.addObject().put("type", "header");
        header.putObject("text").put("type", "plain_text").put("text", cut(message.headline(), SLACK_HEADER)).put("emoji", false);
        StringBuilder summary = new StringBuilder();
        for (Fact fact : message.facts()) {
            summary.append('*').append(fact.title()).append(":* ").append(slackEscape(fact.value())).append('\n');
        }
        if (message.message() != null) {
            summary.append('\n').append(slackEscape(message.message()));
        }
        mrkdwnSection(blocks, summary.toString().strip());
        if (!message.components().isEmpty()) {
            ObjectNode section = blocks.addObject().put("type", "section");
            section.putObject("text").put("type", "mrkdwn").put("text", "*" + message.componentsTitle() + "*");
            ArrayNode fields = section.putArray("fields");
            List<Fact> components = message.components();
            int shown = components.size() > SLACK_FIELDS ? SLACK_FIELDS - 1 : components.size();
            for (Fact component : components.subList(0, shown)) {
                fields.addObject().put("type", "mrkdwn").put("text", cut("*" + slackEscape(component.title()) + "*\n"
                        + slackEscape(component.value()), SLACK_FIELD));
            }
            if (shown < components.size()) {
                fields.addObject().put("type", "mrkdwn").put("text", "…and " + (components.size() - shown) + " more");
            }
        }
        if (!message.earlier().isEmpty()) {
            StringBuilder earlier = new StringBuilder("*Earlier updates*");
            message.earlier().forEach(fact -> earlier.append("\n• ").append(fact.title()).append(" — ")
                    .append(slackEscape(fact.value())));
            mrkdwnSection(blocks, earlier.toString());
        }
        for (Section section : message.sections()) {
            mrkdwnSection(blocks, "*" + section.title() + "*\n" + slackEscape(section.text()));
        }
        ObjectNode context = blocks.addObject().put("type", "context");
        context.putArray("elements").addObject().put("type", "mrkdwn").put("text", cut(slackEscape(message.footer()), SLACK_TEXT));
        ObjectNode button = blocks.addObject().put("type", "actions").putArray("elements").addObject().put("type", "button");
        button.putObject("text").put("type", "plain_text").put("text", message.buttonText());
        button.put("url", message.buttonUrl()).put("action_id", "view").put("style", "primary");
        return root;
    }

    private static void mrkdwnSection(ArrayNode blocks, String text) {
        blocks.addObject().put("type", "section").putObject("text").put("type", "mrkdwn").put("text", cut(text, SLACK_TEXT));
    }

    ObjectNode teams(Delivery delivery) {
        Message message = message(delivery);
        ObjectNode root = mapper.createObjectNode().put("type", "message");
        ObjectNode attachment = root.putArray("attachments").addObject();
        attachment.put("contentType", ADAPTIVE_CARD);
        attachment.putNull("contentUrl");
        ObjectNode card = attachment.putObject("content");
        card.put("$schema", "http://adaptivecards.io/schemas/adaptive-card.json").put("type", "AdaptiveCard").put("version", "1.4");
        ArrayNode body = card.putArray("body");
        textBlock(body, message.headline()).put("size", "Large").put("weight", "Bolder").put("style", "heading");
        factSet(body, message.facts());
        if (message.message() != null) {
            textBlock(body, message.message());
        }
        if (!message.components().isEmpty()) {
            textBlock(body, message.componentsTitle()).put("weight", "Bolder").put("spacing", "Medium");
            factSet(body, message.components());
        }
        if (!message.earlier().isEmpty()) {
            textBlock(body, "Earlier updates").put("weight", "Bolder").put("spacing", "Medium");
            factSet(body, message.earlier());
        }
        for (Section section : message.sections()) {
            textBlock(body, section.title()).put("weight", "Bolder").put("spacing", "Medium");
            textBlock(body, section.text());
        }
        textBlock(body, message.footer()).put("isSubtle", true).put("size", "Small").put("spacing", "Medium");
        card.putArray("actions").addObject().put("type", "Action.OpenUrl").put("title", message.buttonText())
                .put("url", message.buttonUrl());
        card.putObject("msteams").put("width", "Full");
        return root;
    }

    private static ObjectNode textBlock(ArrayNode body, String text) {
        return body.addObject().put("type", "TextBlock").put("text", cut(teamsEscape(text), TEAMS_TEXT)).put("wrap", true);
    }

    private static void factSet(ArrayNode body, List<Fact> facts) {
        ArrayNode list = body.addObject().put("type", "FactSet").putArray("facts");
        facts.forEach(fact -> list.addObject().put("title", cut(teamsEscape(fact.title()), TEAMS_TEXT))
                .put("value", cut(teamsEscape(fact.value()), TEAMS_TEXT)));
    }

    /** Slack's mrkdwn: &, < and > are its markup ({@code <url|text>} links, mentions) and must be escaped. */
    static String slackEscape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    /** Adaptive Card text is Markdown: brackets (links), emphasis and escapes are backslash-escaped. */
    static String teamsEscape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder escaped = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if ("\\[]()*_`~#<>".indexOf(c) >= 0) {
                escaped.append('\\');
            }
            escaped.append(c);
        }
        return escaped.toString();
    }

    /** At most {@code max} characters (an ellipsis marks a cut), never splitting a surrogate pair. */
    static String cut(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - 1;
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + "…";
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
        return value == null ? "" : value.stripTrailingZeros().toPlainString();
    }

    private byte[] bytes(ObjectNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

}

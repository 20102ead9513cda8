package dev.incidentplatform.notification.feed;

import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

import dev.incidentplatform.notification.domain.IncidentNotice;

/**
 * What an entry says, once, in the two forms feeds carry: plain text (Atom summary, JSON {@code content_text}) and an
 * XHTML fragment (Atom's xhtml content, RSS description, JSON {@code content_html}). The fragment is written by an
 * XML writer, never concatenated, so every title and message is escaped text wherever a reader renders it as HTML.
 */
final class EntryContent {

    static final String XHTML = "http://www.w3.org/1999/xhtml";
    /** A summary is "a sentence or two" (JSON Feed): messages may be 10 000 characters. */
    static final int SUMMARY_LENGTH = 280;

    private EntryContent() {
    }

    /** The first line of the entry's text: {@code Investigating · SEV1 · incident #1a2b3c4d}. */
    static String statusLine(FeedEntry entry) {
        return String.join(" · ", statusParts(entry));
    }

    /** What the status line says, its first part the status (or the review and its version). */
    private static List<String> statusParts(FeedEntry entry) {
        IncidentNotice notice = entry.notice();
        List<String> parts = new ArrayList<>();
        parts.add(entry.review() ? FeedEntry.REVIEW_STATUS + " (version " + notice.review().reviewVersion() + ")"
                : entry.statusLabel());
        if (notice.severity() != null) {
            parts.add(notice.severity());
        }
        parts.add("incident #" + notice.shortId());
        return parts;
    }

    /** A sentence or two for a reader's list: the update's message, or the review's root cause, shortened. */
    static String summary(FeedEntry entry) {
        IncidentNotice notice = entry.notice();
        String text = entry.review() ? notice.review().rootCause() : notice.message();
        if (text == null || text.isBlank()) {
            return statusLine(entry);
        }
        String oneLine = text.strip().replaceAll("\\s+", " ");
        if (oneLine.length() <= SUMMARY_LENGTH) {
            return oneLine;
        }
        int end = SUMMARY_LENGTH - 1;
        if (Character.isLowSurrogate(oneLine.charAt(end))) {
            end--;
        }
        return oneLine.substring(0, end) + "…";
    }

    /** The whole entry as plain text, one block per part, separated by blank lines. */
    static String text(FeedEntry entry) {
        IncidentNotice notice = entry.notice();
        List<String> blocks = new ArrayList<>();
        blocks.add(statusLine(entry));
        if (entry.review()) {
            IncidentNotice.Review review = notice.review();
            if (review.rootCause() != null) {
                blocks.add("Root cause:\n" + review.rootCause());
            }
            if (review.impactSummary() != null) {
                blocks.add("Impact:\n" + review.impactSummary());
            }
            if (!review.preventativeMeasures().isEmpty()) {
                blocks.add("What we are doing so it does not happen again:\n"
                        + String.join("\n", review.preventativeMeasures().stream().map(m -> "- " + m).toList()));
            }
        } else if (notice.message() != null) {
            blocks.add(notice.message());
        }
        if (!notice.components().isEmpty()) {
            blocks.add("Affected components:\n"
                    + String.join("\n", notice.components().stream().map(c -> "- " + FeedEntry.componentLine(c)).toList()));
        }
        return String.join("\n\n", blocks);
    }

    /** The XHTML fragment as markup, for formats that carry HTML as text (RSS description, JSON content_html). */
    static String html(FeedEntry entry) {
        StringWriter markup = new StringWriter();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(markup);
            writeBody(xml, entry);
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("An entry's HTML could not be written", e);
        }
        return markup.toString();
    }

    /**
     * Writes the fragment's elements into {@code xml} at its current position: paragraphs and lists only, in the
     * namespace in scope (Atom wraps them in an XHTML div; as HTML text they need none).
     */
    static void writeBody(XMLStreamWriter xml, FeedEntry entry) throws XMLStreamException {
        IncidentNotice notice = entry.notice();
        List<String> status = statusParts(entry);
        xml.writeStartElement("p");
        xml.writeStartElement("strong");
        xml.writeCharacters(status.get(0));
        xml.writeEndElement();
        xml.writeCharacters(" · " + String.join(" · ", status.subList(1, status.size())));
        xml.writeEndElement();
        if (entry.review()) {
            IncidentNotice.Review review = notice.review();
            section(xml, "Root cause", review.rootCause());
            section(xml, "Impact", review.impactSummary());
            if (!review.preventativeMeasures().isEmpty()) {
                paragraph(xml, "What we are doing so it does not happen again:");
                list(xml, review.preventativeMeasures());
            }
        } else if (notice.message() != null) {
            paragraph(xml, notice.message());
        }
        if (!notice.components().isEmpty()) {
            paragraph(xml, "Affected components:");
            list(xml, notice.components().stream().map(FeedEntry::componentLine).toList());
        }
    }

    private static void section(XMLStreamWriter xml, String heading, String text) throws XMLStreamException {
        if (text == null) {
            return;
        }
        xml.writeStartElement("p");
        xml.writeStartElement("strong");
        xml.writeCharacters(heading);
        xml.writeEndElement();
        xml.writeEndElement();
        paragraph(xml, text);
    }

    /** A paragraph whose line breaks stay line breaks. */
    private static void paragraph(XMLStreamWriter xml, String text) throws XMLStreamException {
        xml.writeStartElement("p");
        String[] lines = text.split("\r\n|\r|\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
                xml.writeEmptyElement("br");
            }
            xml.writeCharacters(lines[i]);
        }
        xml.writeEndElement();
    }

    private static void list(XMLStreamWriter xml, List<String> items) throws XMLStreamException {
        xml.writeStartElement("ul");
        for (String item : items) {
            xml.writeStartElement("li");
            xml.writeCharacters(item);
            xml.writeEndElement();
        }
        xml.writeEndElement();
    }
}

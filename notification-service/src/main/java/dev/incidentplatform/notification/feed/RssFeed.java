package dev.incidentplatform.notification.feed;

import java.io.ByteArrayOutputStream;
import java.time.Duration;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * RSS 2.0, written with the JDK's StAX writer, with the Atom self link the RSS profile recommends. Readers render an
 * item's description as HTML, so it carries the entry's XHTML fragment as text (escaped twice over: once as HTML by
 * the fragment's writer, once as XML here); titles are plain text.
 */
final class RssFeed {

    static final String MEDIA_TYPE = "application/rss+xml";

    private RssFeed() {
    }

    /** @param maxAge how long readers may cache the feed: its {@code ttl}, in whole minutes (at least one) */
    static byte[] write(Feed feed, Duration maxAge) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(bytes, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.writeStartElement("rss");
            xml.writeAttribute("version", "2.0");
            xml.writeNamespace("atom", AtomFeed.NAMESPACE);
            xml.writeStartElement("channel");
            element(xml, "title", feed.title());
            element(xml, "link", feed.homeUrl());
            element(xml, "description", feed.description());
            element(xml, "language", "en");
            if (feed.updated().isPresent()) {
                element(xml, "lastBuildDate", Feed.rfc822(feed.updated().get()));
            }
            element(xml, "ttl", Long.toString(Math.max(1, (maxAge.toSeconds() + 59) / 60)));
            xml.writeEmptyElement("atom", "link", AtomFeed.NAMESPACE);
            xml.writeAttribute("href", feed.selfUrl());
            xml.writeAttribute("rel", "self");
            xml.writeAttribute("type", MEDIA_TYPE);
            for (FeedEntry entry : feed.entries()) {
                item(xml, entry);
            }
            xml.writeEndElement();
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("The RSS feed could not be written", e);
        }
        return bytes.toByteArray();
    }

    private static void item(XMLStreamWriter xml, FeedEntry entry) throws XMLStreamException {
        xml.writeStartElement("item");
        element(xml, "title", entry.headline());
        element(xml, "link", entry.url());
        xml.writeStartElement("guid");
        xml.writeAttribute("isPermaLink", "false");
        xml.writeCharacters("urn:uuid:" + entry.eventId());
        xml.writeEndElement();
        element(xml, "pubDate", Feed.rfc822(entry.occurredAt()));
        for (String service : entry.services()) {
            element(xml, "category", service);
        }
        element(xml, "description", EntryContent.html(entry));
        xml.writeEndElement();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }
}

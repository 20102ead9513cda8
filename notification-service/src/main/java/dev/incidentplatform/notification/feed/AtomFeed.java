package dev.incidentplatform.notification.feed;

import java.io.ByteArrayOutputStream;
import java.time.Instant;

import javax.xml.XMLConstants;
import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/** Atom 1.0 (RFC 4287), written with the JDK's StAX writer. */
final class AtomFeed {

    static final String MEDIA_TYPE = "application/atom+xml";
    static final String NAMESPACE = "http://www.w3.org/2005/Atom";
    /** Atom requires a feed's updated; a feed that never had an entry has never been updated since the epoch. */
    static final Instant NEVER = Instant.EPOCH;

    private AtomFeed() {
    }

    static byte[] write(Feed feed) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try {
            XMLStreamWriter xml = XMLOutputFactory.newDefaultFactory().createXMLStreamWriter(bytes, "UTF-8");
            xml.writeStartDocument("UTF-8", "1.0");
            xml.setDefaultNamespace(NAMESPACE);
            xml.writeStartElement(NAMESPACE, "feed");
            xml.writeDefaultNamespace(NAMESPACE);
            xml.writeAttribute(XMLConstants.XML_NS_PREFIX, XMLConstants.XML_NS_URI, "lang", "en");
            element(xml, "id", feed.selfUrl());
            text(xml, "title", feed.title());
            text(xml, "subtitle", feed.description());
            element(xml, "updated", Feed.rfc3339(feed.updated().orElse(NEVER)));
            xml.writeStartElement("author");
            element(xml, "name", feed.author());
            xml.writeEndElement();
            link(xml, "self", MEDIA_TYPE, feed.selfUrl());
            link(xml, "alternate", "text/html", feed.homeUrl());
            for (FeedEntry entry : feed.entries()) {
                entry(xml, entry);
            }
            xml.writeEndElement();
            xml.writeEndDocument();
            xml.flush();
            xml.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("The Atom feed could not be written", e);
        }
        return bytes.toByteArray();
    }

    private static void entry(XMLStreamWriter xml, FeedEntry entry) throws XMLStreamException {
        xml.writeStartElement("entry");
        element(xml, "id", "urn:uuid:" + entry.eventId());
        text(xml, "title", entry.headline());
        element(xml, "updated", Feed.rfc3339(entry.occurredAt()));
        element(xml, "published", Feed.rfc3339(entry.occurredAt()));
        link(xml, "alternate", "text/html", entry.url());
        for (String service : entry.services()) {
            xml.writeEmptyElement("category");
            xml.writeAttribute("term", service);
        }
        text(xml, "summary", EntryContent.summary(entry));
        xml.writeStartElement("content");
        xml.writeAttribute("type", "xhtml");
        xml.writeStartElement("div");
        xml.writeDefaultNamespace(EntryContent.XHTML);
        EntryContent.writeBody(xml, entry);
        xml.writeEndElement();
        xml.writeEndElement();
        xml.writeEndElement();
    }

    private static void text(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeAttribute("type", "text");
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private static void element(XMLStreamWriter xml, String name, String value) throws XMLStreamException {
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private static void link(XMLStreamWriter xml, String rel, String type, String href) throws XMLStreamException {
        xml.writeEmptyElement("link");
        xml.writeAttribute("rel", rel);
        xml.writeAttribute("type", type);
        xml.writeAttribute("href", href);
    }
}

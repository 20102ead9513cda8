package dev.incidentplatform.notification.links;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.platform.links.PublicLinks;

/**
 * The absolute addresses of this service's public pages, for what leaves the service (a mail's "View incident", a
 * feed entry's link, a webhook's button): the one place their paths are written.
 */
@ApplicationScoped
public class PublicPages {

    private final PublicLinks links;

    public PublicPages(PublicLinks links) {
        this.links = links;
    }

    /** The incident's public page. */
    public String incident(UUID incidentId) {
        return links.absolute(PublicLinks.location("incidents", incidentId.toString()));
    }

    /** The public page customers follow (the status page). */
    public String home() {
        return links.absolute("/");
    }

    /** A feed of incidents and their updates, by its file name ({@code incidents.atom}, {@code incidents.rss}, …). */
    public String feed(String fileName) {
        return links.absolute(PublicLinks.location("feeds", fileName));
    }
}

package dev.incidentplatform.platform.links;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;

import jakarta.enterprise.context.ApplicationScoped;

/**
 * The one place links are built. {@link #location} gives the relative reference a {@code Location} header carries
 * (never made absolute from the Host header, which the client controls); {@link #absolute} gives a link under the
 * configured public base URL, for where a relative reference means nothing (a mail).
 */
@ApplicationScoped
public class PublicLinks {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final String baseUrl;

    public PublicLinks(PublicBaseUrlConfig config) {
        this.baseUrl = config.publicBaseUrl().map(PublicLinks::checked).orElse(null);
    }

    /** {@code /api/incidents/<id>}: the path segments joined, each percent-encoded. */
    public static String location(String... segments) {
        StringBuilder path = new StringBuilder();
        for (String segment : segments) {
            path.append('/').append(encode(segment).replace("+", "%20"));
        }
        return path.toString();
    }

    /** {@link #location} with a query, its values percent-encoded. */
    public static String location(String path, Map<String, String> query) {
        StringJoiner parameters = new StringJoiner("&", path + "?", "");
        query.forEach((name, value) -> parameters.add(encode(name) + "=" + encode(value)));
        return query.isEmpty() ? path : parameters.toString();
    }

    /** The absolute link to {@code pathAndQuery} (a relative reference from {@link #location}) under the public base URL. */
    public String absolute(String pathAndQuery) {
        requireBaseUrl();
        return baseUrl + pathAndQuery;
    }

    /** For a service that writes absolute links: refuses to start without the base URL, not at its first link. */
    public void requireBaseUrl() {
        if (baseUrl == null) {
            throw new IllegalStateException("platform.links.public-base-url is not configured; it is required to write links");
        }
    }

    /** Refuses at startup a base URL that could not carry a link: HTTPS, or HTTP on this machine only. */
    static String checked(String configured) {
        URI uri;
        try {
            uri = new URI(configured);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("platform.links.public-base-url is not a URL: " + configured, e);
        }
        boolean https = "https".equals(uri.getScheme());
        boolean loopbackHttp = "http".equals(uri.getScheme()) && LOOPBACK.contains(uri.getHost());
        if (uri.getHost() == null || !(https || loopbackHttp) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("platform.links.public-base-url must be an https:// URL without query or"
                    + " fragment (http only for localhost): " + configured);
        }
        return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}

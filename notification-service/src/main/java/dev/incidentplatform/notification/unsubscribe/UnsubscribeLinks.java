package dev.incidentplatform.notification.unsubscribe;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.config.NotificationConfig;

/** Signed unsubscribe links under the configured public base URL. */
@ApplicationScoped
public class UnsubscribeLinks {

    private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "[::1]");

    private final UnsubscribeTokens tokens;
    private final String baseUrl;

    public UnsubscribeLinks(NotificationConfig config) {
        NotificationConfig.Unsubscribe settings = config.unsubscribe();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        settings.previousKey().ifPresent(key -> keys.put(settings.previousKeyId().orElseThrow(() -> new IllegalArgumentException(
                "notification.unsubscribe.previous-key-id is required with notification.unsubscribe.previous-key")),
                key.getBytes(StandardCharsets.UTF_8)));
        keys.put(settings.keyId(), settings.key().getBytes(StandardCharsets.UTF_8));
        this.tokens = new UnsubscribeTokens(settings.keyId(), keys);
        this.baseUrl = checkedBaseUrl(config.publicBaseUrl());
    }

    /** RFC 8058 one-click needs HTTPS; plain HTTP only for a service reached on this machine (the local run). */
    private static String checkedBaseUrl(String configured) {
        URI uri = URI.create(configured);
        boolean https = "https".equals(uri.getScheme());
        boolean loopbackHttp = "http".equals(uri.getScheme()) && LOOPBACK.contains(uri.getHost());
        if (uri.getHost() == null || !(https || loopbackHttp)) {
            throw new IllegalArgumentException("notification.public-base-url must be an https:// URL (http only for localhost): "
                    + configured);
        }
        return configured.endsWith("/") ? configured.substring(0, configured.length() - 1) : configured;
    }

    public String url(UUID subscriberId) {
        return baseUrl + "/unsubscribe?token=" + tokens.issue(subscriberId);
    }

    public UnsubscribeTokens.Verification verify(String token) {
        return tokens.verify(token);
    }
}

package dev.incidentplatform.notification.unsubscribe;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.platform.links.PublicLinks;
import io.quarkus.runtime.Startup;

/** Signed unsubscribe links, absolute under the public base URL (RFC 8058 one-click needs HTTPS there). */
@ApplicationScoped
@Startup
public class UnsubscribeLinks {

    private final UnsubscribeTokens tokens;
    private final PublicLinks links;

    public UnsubscribeLinks(NotificationConfig config, PublicLinks links) {
        NotificationConfig.Unsubscribe settings = config.unsubscribe();
        Map<String, byte[]> keys = new LinkedHashMap<>();
        settings.previousKey().ifPresent(key -> keys.put(settings.previousKeyId().orElseThrow(() -> new IllegalArgumentException(
                "notification.unsubscribe.previous-key-id is required with notification.unsubscribe.previous-key")),
                key.getBytes(StandardCharsets.UTF_8)));
        keys.put(settings.keyId(), settings.key().getBytes(StandardCharsets.UTF_8));
        this.tokens = new UnsubscribeTokens(settings.keyId(), keys);
        links.requireBaseUrl();
        this.links = links;
    }

    public String url(UUID subscriberId) {
        return links.absolute(PublicLinks.location("/unsubscribe", Map.of("token", tokens.issue(subscriberId))));
    }

    public UnsubscribeTokens.Verification verify(String token) {
        return tokens.verify(token);
    }
}

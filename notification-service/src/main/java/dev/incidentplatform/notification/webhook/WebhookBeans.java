package dev.incidentplatform.notification.webhook;

import java.net.InetAddress;
import java.util.List;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The webhook pieces that are plain Java, made once from the configuration (a bad setting stops the start). */
public class WebhookBeans {

    @Produces
    @Singleton
    OutboundPolicy outboundPolicy(WebhookConfig config) {
        return new OutboundPolicy(config.allowHosts().orElse(List.of()), InetAddress::getAllByName);
    }

    @Produces
    @Singleton
    SecretBox secretBox(WebhookConfig config) {
        return new SecretBox(config.encryptionKey());
    }
}

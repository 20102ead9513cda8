package dev.incidentplatform.notification.webhook;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/** The answer that carries a signing secret: a new endpoint's, or a rotated one's. The only time the secret is shown. */
@Schema(name = "WebhookWithSecret", description = "A webhook endpoint and its signing secret, shown only in this answer")
public record WebhookWithSecret(
        @Schema(required = true) Webhook webhook,
        @Schema(required = true, pattern = "^whsec_[A-Za-z0-9+/]{43}=$",
                description = "The Standard Webhooks signing secret: whsec_ and the base64 of 32 random bytes; verify"
                        + " webhook-signature with the bytes",
                example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw+9qVpXo0KHE=") String secret) {
}

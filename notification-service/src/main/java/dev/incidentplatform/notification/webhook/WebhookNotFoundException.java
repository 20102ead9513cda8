package dev.incidentplatform.notification.webhook;

import java.util.UUID;

import dev.incidentplatform.platform.problem.ProblemException;

/** 404: no webhook endpoint has this id (any more). */
public class WebhookNotFoundException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public WebhookNotFoundException(UUID id) {
        super(404, "No webhook " + id + ".");
    }
}

package dev.incidentplatform.notification.subscriber;

import java.util.UUID;

public class SubscriberNotFoundException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public SubscriberNotFoundException(UUID id) {
        super("There is no subscriber " + id + ".");
    }
}

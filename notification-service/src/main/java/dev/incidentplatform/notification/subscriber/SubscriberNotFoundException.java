package dev.incidentplatform.notification.subscriber;

import java.util.UUID;

import dev.incidentplatform.platform.problem.ProblemException;

public class SubscriberNotFoundException extends ProblemException {

    private static final long serialVersionUID = 1L;

    public SubscriberNotFoundException(UUID id) {
        super(404, "There is no subscriber " + id + ".");
    }
}

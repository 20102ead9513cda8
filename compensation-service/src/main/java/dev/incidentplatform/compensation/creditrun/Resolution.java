package dev.incidentplatform.compensation.creditrun;

import java.util.UUID;

/** The resolving incident event a credit run answers: its id is the credits' causation, its actor the decisions'. */
public record Resolution(UUID eventId, UUID incidentId, String correlationId, String actor) {
}

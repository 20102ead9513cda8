package dev.incidentplatform.incident.domain;

/** What is wrong with one field of a command, named as the API names it (e.g. {@code components[2].regions}). */
public record Violation(String field, String reason) {
}

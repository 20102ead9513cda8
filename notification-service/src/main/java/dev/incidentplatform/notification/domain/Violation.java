package dev.incidentplatform.notification.domain;

/** Why a field of some input is unacceptable. */
public record Violation(String field, String reason) {
}

package dev.incidentplatform.incident.events;

import java.util.List;

import dev.incidentplatform.incident.domain.Component;
import dev.incidentplatform.incident.domain.ComponentStatus;

/** {@code common/v1 #/$defs/component}. */
public record ComponentV1(String service, List<String> regions, String status) {

    static List<ComponentV1> of(List<Component> components) {
        return components.stream().map(c -> new ComponentV1(c.service(), c.regions(), c.status().wire())).toList();
    }

    static List<Component> toDomain(List<ComponentV1> components) {
        return components.stream().map(c -> new Component(c.service(), c.regions(),
                ComponentStatus.parse(c.status()).orElseThrow(() -> new IllegalArgumentException("Unknown component status " + c.status()))))
                .toList();
    }
}

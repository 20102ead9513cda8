package dev.incidentplatform.incident.api;

import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;

import dev.incidentplatform.incident.domain.ComponentStatus;
import dev.incidentplatform.incident.domain.IncidentStatus;
import dev.incidentplatform.incident.domain.Severity;
import dev.incidentplatform.platform.json.TextRuleException;

/**
 * The domain's choices as a request writes them (their wire names), bound by Jackson so that an unknown one is refused
 * with its path ({@code components[2].status}) like any other value of the wrong shape.
 */
final class Choices {

    static final String SEVERITIES = "SEV1, SEV2, SEV3, SEV4";
    static final String STATUSES = "investigating, identified, monitoring, resolved";
    static final String COMPONENT_STATUSES = "operational, degraded_performance, partial_outage, major_outage, under_maintenance";

    private Choices() {
    }

    /** A string naming one of the choices; anything else is refused with the rule and the value. */
    private abstract static class Choice<E> extends JsonDeserializer<E> {

        private final Class<E> type;
        private final Function<String, Optional<E>> parse;
        private final String allowed;

        Choice(Class<E> type, Function<String, Optional<E>> parse, String allowed) {
            this.type = type;
            this.parse = parse;
            this.allowed = allowed;
        }

        @Override
        public E deserialize(JsonParser parser, DeserializationContext context) throws IOException {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                throw context.instantiationException(type, new TextRuleException("must be one of " + allowed));
            }
            String value = parser.getText();
            return parse.apply(value).orElseThrow(() -> context.instantiationException(type,
                    new TextRuleException("must be one of " + allowed + ": " + Quoted.of(value))));
        }
    }

    static final class SeverityChoice extends Choice<Severity> {
        SeverityChoice() {
            super(Severity.class, Severity::parse, SEVERITIES);
        }
    }

    static final class StatusChoice extends Choice<IncidentStatus> {
        StatusChoice() {
            super(IncidentStatus.class, IncidentStatus::parse, STATUSES);
        }
    }

    static final class ComponentStatusChoice extends Choice<ComponentStatus> {
        ComponentStatusChoice() {
            super(ComponentStatus.class, ComponentStatus::parse, COMPONENT_STATUSES);
        }
    }
}

package dev.incidentplatform.compensation.relay;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.incidentplatform.compensation.domain.Money;
import dev.incidentplatform.platform.consume.CloudEventRecords;
import dev.incidentplatform.platform.outbox.AppendOnlyTable;
import dev.incidentplatform.platform.outbox.OutboxRecord;
import dev.incidentplatform.platform.outbox.RelayedStream;
import dev.incidentplatform.platform.outbox.SubscriptionSettings;
import io.cloudevents.core.builder.CloudEventBuilder;

/**
 * The ledger published to {@code credit-events} (the platform's Kafka relay runs it, exactly once, in commit order):
 * each issued entry a {@code credit-issued} CloudEvent in binary mode, keyed by customer id. Entries below the minimum
 * are read, to move past them, and never published.
 */
@ApplicationScoped
public class CreditEventStream implements RelayedStream {

    public static final String NAME = "credit-events";
    public static final String CHECKPOINT = "relay:credit-events";
    static final URI SOURCE = URI.create("/compensation-service");
    static final URI DATASCHEMA = URI.create("https://contracts.incident-platform.dev/credit-issued/v1/schema.json");
    private static final String TYPE = "credit-issued";
    private static final BigDecimal SIXTY = BigDecimal.valueOf(60);
    private static final AppendOnlyTable LEDGER = new AppendOnlyTable("credit", """
            entry.event_id, entry.credit_id, entry.customer_id, entry.contract_id, entry.contract_version, entry.service,
            to_char(entry.billing_month, 'YYYY-MM') AS billing_month, d.incident_ids::text[] AS incident_ids,
            d.downtime_seconds, d.uptime_percent, entry.credit_percent, entry.amount, entry.currency, entry.extension_days,
            d.policy_id, d.policy_version, entry.kind, entry.issued_at, entry.actor, entry.correlation_id,
            entry.causation_id, entry.status, entry.traceparent""", "JOIN credit_decision d ON d.decision_id = entry.decision_id", "issued_at",
            "credit_appended");

    private final ObjectMapper json;
    private final SubscriptionSettings settings;
    private final String topic;

    public CreditEventStream(ObjectMapper json,
            @ConfigProperty(name = "compensation.relay.topic", defaultValue = "credit-events") String topic,
            @ConfigProperty(name = "compensation.relay.batch-size", defaultValue = "2000") int batchSize,
            @ConfigProperty(name = "compensation.relay.idle-wait", defaultValue = "PT0.5S") Duration idleWait,
            @ConfigProperty(name = "compensation.relay.max-lag", defaultValue = "PT5M") Duration maxLag,
            @ConfigProperty(name = "compensation.relay.enabled", defaultValue = "true") boolean enabled) {
        this.json = json;
        this.settings = new SubscriptionSettings(NAME, CHECKPOINT, batchSize, idleWait, maxLag, enabled);
        this.topic = topic;
    }

    @Override
    public SubscriptionSettings settings() {
        return settings;
    }

    @Override
    public AppendOnlyTable table() {
        return LEDGER;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public String storeIdentityQuery() {
        return "SELECT store_id FROM store_identity";
    }

    @Override
    public String headerPrefix() {
        return "compensation";
    }

    @Override
    public Optional<OutboxRecord> record(ResultSet row) throws SQLException {
        if (!"issued".equals(row.getString("status"))) {
            return Optional.empty();
        }
        UUID eventId = row.getObject("event_id", UUID.class);
        String customerId = row.getString("customer_id");
        Instant issuedAt = row.getTimestamp("issued_at").toInstant();
        ObjectNode event = json.createObjectNode();
        event.put("eventId", eventId.toString());
        event.put("eventType", TYPE);
        event.put("schemaVersion", 1);
        event.put("occurredAt", issuedAt.toString());
        event.put("correlationId", row.getString("correlation_id"));
        event.put("causationId", row.getString("causation_id"));
        event.put("actor", row.getString("actor"));
        event.put("creditId", row.getObject("credit_id", UUID.class).toString());
        event.put("customerId", customerId);
        event.put("contractId", row.getObject("contract_id", UUID.class).toString());
        event.put("contractVersion", row.getInt("contract_version"));
        event.put("service", row.getString("service"));
        event.put("billingMonth", row.getString("billing_month"));
        ArrayNode incidentIds = event.putArray("incidentIds");
        for (String id : (String[]) row.getArray("incident_ids").getArray()) {
            incidentIds.add(id);
        }
        event.put("downtimeMinutes", row.getBigDecimal("downtime_seconds").divide(SIXTY, 4, RoundingMode.HALF_EVEN)
                .stripTrailingZeros());
        event.put("monthlyUptimePercent", row.getBigDecimal("uptime_percent").stripTrailingZeros());
        BigDecimal amount = row.getBigDecimal("amount");
        if (amount != null) {
            event.put("creditPercent", row.getBigDecimal("credit_percent").stripTrailingZeros());
            String currency = row.getString("currency");
            ObjectNode money = event.putObject("amount");
            money.put("amount", Money.format(amount, Currency.getInstance(currency).getDefaultFractionDigits()));
            money.put("currency", currency);
        }
        int days = row.getInt("extension_days");
        if (!row.wasNull()) {
            event.put("extensionDays", days);
        }
        event.put("policyId", row.getString("policy_id"));
        event.put("policyVersion", row.getInt("policy_version"));
        event.put("kind", row.getString("kind"));
        event.put("issuedAt", issuedAt.toString());
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        CloudEventBuilder cloudEvent = CloudEventBuilder.v1();
        String traceparent = row.getString("traceparent");
        if (traceparent != null) {
            // The chunk that wrote the credit: the relay's publish span is its child (CloudEvents distributed tracing).
            cloudEvent.withExtension(CloudEventRecords.TRACEPARENT, traceparent);
        }
        return Optional.of(new OutboxRecord(customerId, cloudEvent
                .withId(eventId.toString())
                .withType(TYPE)
                .withSource(SOURCE)
                .withTime(issuedAt.atOffset(ZoneOffset.UTC))
                .withSubject(customerId)
                .withDataSchema(DATASCHEMA)
                .withDataContentType("application/json")
                .withData(payload)
                .build()));
    }
}

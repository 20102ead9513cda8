package dev.incidentplatform.notification.webhook;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.domain.WebhookDraft;
import dev.incidentplatform.platform.idempotency.IdempotencyRecords;
import dev.incidentplatform.platform.idempotency.StoredResponse;
import dev.incidentplatform.platform.links.PublicLinks;
import dev.incidentplatform.platform.problem.FieldErrors;
import dev.incidentplatform.platform.problem.Problem;
import dev.incidentplatform.platform.problem.ProblemException;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Creating, changing, rotating and deleting webhook endpoints: the rules (syntax 400, where the URL leads 422), the
 * signing secrets (made here, stored sealed, shown once), and the idempotency of the two POSTs. The answers to those
 * carry a secret, so they are kept sealed by the platform's idempotency records and opened for a replay.
 */
@ApplicationScoped
public class WebhookEndpoints {

    private final DataSource dataSource;
    private final WebhookStore store;
    private final OutboundPolicy policy;
    private final SecretBox box;
    private final IdempotencyRecords records;
    private final ObjectMapper json;
    private final WebhookConfig config;

    public WebhookEndpoints(DataSource dataSource, WebhookStore store, OutboundPolicy policy, SecretBox box,
            IdempotencyRecords records, ObjectMapper json, WebhookConfig config) {
        this.dataSource = dataSource;
        this.store = store;
        this.policy = policy;
        this.box = box;
        this.records = records;
        this.json = json;
        this.config = config;
    }

    /** Who asks, and the Idempotency-Key they sent with the fingerprint of their request (null without a key). */
    public record Caller(String principal, Optional<String> key, String fingerprint) {
    }

    public Caller caller(String principal, String idempotencyKey, String path, Object request) {
        Optional<String> key = IdempotencyRecords.key(idempotencyKey);
        return new Caller(principal, key, key.map(k -> records.fingerprint("POST", path, request)).orElse(null));
    }

    /** 201 with the new endpoint and its secret; for a repeated key, the first answer. */
    public StoredResponse create(WebhookDraft draft, Caller caller) {
        Optional<StoredResponse> replay = replay(caller);
        if (replay.isPresent()) {
            return replay.get();
        }
        requireValid(draft);
        requireReachable(draft);
        UUID id = UUID.randomUUID();
        String secret = WebhookSignatures.newSecret();
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                Webhook created = store.create(connection, id, draft, box.seal(secret, secretPlace(id)), caller.principal());
                return answer(connection, caller, new StoredResponse(201,
                        PublicLinks.location("api", "webhooks", id.toString()), etag(created),
                        write(new WebhookWithSecret(created, secret))));
            }
        });
    }

    public Webhook update(UUID id, WebhookDraft draft, Long expectedVersion, String actor) {
        requireValid(draft);
        requireReachable(draft);
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                return store.update(connection, id, draft, expectedVersion, actor);
            }
        });
    }

    /** 200 with the endpoint and its new secret; the one it replaces signs too for the configured validity. */
    public StoredResponse rotate(UUID id, Long expectedVersion, Caller caller) {
        Optional<StoredResponse> replay = replay(caller);
        if (replay.isPresent()) {
            return replay.get();
        }
        String secret = WebhookSignatures.newSecret();
        return QuarkusTransaction.requiringNew().call(() -> {
            try (Connection connection = dataSource.getConnection()) {
                String current = store.sealedSecret(connection, id);
                Webhook rotated = store.rotate(connection, id, box.seal(secret, secretPlace(id)), current,
                        config.previousSecretValidity(), expectedVersion, caller.principal());
                return answer(connection, caller, new StoredResponse(200, null, etag(rotated),
                        write(new WebhookWithSecret(rotated, secret))));
            }
        });
    }

    public void delete(UUID id, Long expectedVersion) {
        QuarkusTransaction.requiringNew().run(() -> {
            try (Connection connection = dataSource.getConnection()) {
                store.delete(connection, id, expectedVersion);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    public static String etag(Webhook webhook) {
        return "\"" + webhook.version() + "\"";
    }

    /** The associated data a secret is sealed with: its endpoint. */
    static String secretPlace(UUID id) {
        return "webhook-secret:" + id;
    }

    private static String answerPlace(Caller caller) {
        return "idempotency:" + caller.principal() + "\n" + caller.key().orElseThrow();
    }

    private Optional<StoredResponse> replay(Caller caller) {
        if (caller.key().isEmpty()) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection()) {
            return records.find(connection, caller.principal(), caller.key().get(), caller.fingerprint())
                    .map(kept -> new StoredResponse(kept.status(), kept.location(), kept.etag(),
                            box.open(kept.body(), answerPlace(caller)), true));
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Keeps the answer (sealed) in the transaction of the change it answers, when the caller sent a key. */
    private StoredResponse answer(Connection connection, Caller caller, StoredResponse answer) throws SQLException {
        if (caller.key().isPresent()) {
            records.save(connection, caller.principal(), caller.key().get(), caller.fingerprint(),
                    new StoredResponse(answer.status(), answer.location(), answer.etag(), box.seal(answer.body(), answerPlace(caller))));
        }
        return answer;
    }

    private static void requireValid(WebhookDraft draft) {
        FieldErrors errors = new FieldErrors();
        draft.violations().forEach(v -> errors.add(v.field(), v.reason()));
        errors.throwIfAny("The webhook is not valid");
    }

    /** 422 when the URL may not be called: plain http to a host not allowed, or an address that is not public. */
    private void requireReachable(WebhookDraft draft) {
        try {
            policy.check(draft.uri());
        } catch (OutboundPolicy.Refused e) {
            throw new ProblemException(422, "url: " + e.getMessage() + "; nothing was changed.",
                    List.of(new Problem.FieldError("url", e.getMessage())));
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

package dev.incidentplatform.compensation.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.platform.idempotency.IdempotencyRecords;
import dev.incidentplatform.platform.idempotency.StoredResponse;

/**
 * This service's answers to the POSTs that create something, kept by the platform's idempotency records in the
 * current (JTA) transaction. A 201 carries an ETag that is a strong validator of its body, so that a replay, the same
 * bytes, carries the same one.
 */
@ApplicationScoped
public class IdempotentAnswers {

    private final DataSource dataSource;
    private final IdempotencyRecords records;
    private final ObjectMapper json;

    public IdempotentAnswers(DataSource dataSource, IdempotencyRecords records, ObjectMapper json) {
        this.dataSource = dataSource;
        this.records = records;
        this.json = json;
    }

    /** The fingerprint of a JSON request sent with a key, or null without one. */
    public String fingerprint(Optional<String> key, String method, String path, Object request) {
        return key.map(k -> records.fingerprint(method, path, request)).orElse(null);
    }

    /** The stored answer to this key, replayed; 422 when it answered another request (not checked for a null fingerprint). */
    public Optional<Response> replay(String principal, Optional<String> key, String fingerprint) {
        if (key.isEmpty()) {
            return Optional.empty();
        }
        try (Connection connection = dataSource.getConnection()) {
            return records.find(connection, principal, key.get(), fingerprint).map(StoredResponse::toResponse);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** 201 with Location and ETag; with a key, the answer is first stored in the current transaction. */
    public Response created(String principal, Optional<String> key, String fingerprint, String location, Object body) {
        String text = write(body);
        StoredResponse answer = new StoredResponse(201, location, etag(text), text);
        if (key.isPresent()) {
            try (Connection connection = dataSource.getConnection()) {
                records.save(connection, principal, key.get(), fingerprint, answer);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return answer.toResponse();
    }

    /** Stores a 200 answer in the transaction of {@code connection}. */
    public void store(Connection connection, String principal, String key, String fingerprint, Object body)
            throws SQLException {
        records.save(connection, principal, key, fingerprint, new StoredResponse(200, null, null, write(body)));
    }

    private static String etag(String body) {
        MessageDigest digest = IdempotencyRecords.fingerprint("ETag", "");
        digest.update(body.getBytes(StandardCharsets.UTF_8));
        return "\"" + IdempotencyRecords.hex(digest).substring(0, 32) + "\"";
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}

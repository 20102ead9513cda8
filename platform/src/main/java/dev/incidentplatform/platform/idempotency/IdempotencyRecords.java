package dev.incidentplatform.platform.idempotency;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.problem.ProblemException;

/**
 * {@code Idempotency-Key} on the POSTs that change something. The first answer to each (principal, key) is stored in
 * the transaction of the change it answers, in the service's own table {@value #TABLE}; the same request sent again
 * within the retention gets that answer back ({@code Idempotent-Replayed: true}) and changes nothing; the same key
 * with another request (another path or body) is 422; a request racing the first one with the same key is 409.
 *
 * <p>The table, in each service's own database: {@code principal text, idempotency_key text, request_hash text,
 * status integer, location text, etag text, body text, created_at timestamptz}, primary key (principal,
 * idempotency_key).
 */
@ApplicationScoped
public class IdempotencyRecords {

    public static final String TABLE = "idempotency_record";

    private final Clock clock;
    private final IdempotencyConfig config;
    private final ObjectWriter canonical;

    public IdempotencyRecords(Clock clock, IdempotencyConfig config, ObjectMapper json) {
        this.clock = clock;
        this.config = config;
        this.canonical = json.writer().with(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
    }

    /** The key the client sent, or empty; 400 for one that is not 1 to 255 visible ASCII characters. */
    public static Optional<String> key(String header) {
        return Optional.ofNullable(RequestHeaders.idempotencyKey(header));
    }

    /** A digest of a request, seeded with its method and path; the caller adds the body (as it streams by, say). */
    public static MessageDigest fingerprint(String method, String path) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * The fingerprint of a JSON request as it was bound: the same request with other spacing or key order, or with
     * an optional field absent instead of null, has the same fingerprint.
     */
    public String fingerprint(String method, String path, Object request) {
        MessageDigest digest = fingerprint(method, path);
        try {
            digest.update(canonical.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return hex(digest);
    }

    /**
     * The stored answer to this key, replayed, if it is within the retention; 422 when it answered another request
     * ({@code fingerprint} null: not checked, for a body that is hashed only while it is read).
     */
    public Optional<StoredResponse> find(Connection connection, String principal, String key, String fingerprint)
            throws SQLException {
        try (PreparedStatement query = connection.prepareStatement("SELECT request_hash, status, location, etag, body FROM "
                + TABLE + " WHERE principal = ? AND idempotency_key = ? AND created_at >= ?")) {
            query.setString(1, principal);
            query.setString(2, key);
            query.setTimestamp(3, Timestamp.from(oldestKept()));
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                if (fingerprint != null && !row.getString(1).equals(fingerprint)) {
                    throw new KeyReused(key);
                }
                return Optional.of(new StoredResponse(row.getInt(2), row.getString(3), row.getString(4), row.getString(5), true));
            }
        }
    }

    /**
     * Stores the answer in the transaction of {@code connection} (an expired answer to the same key is replaced);
     * {@link KeyTaken} when a request with the same key stored its answer first.
     */
    public void save(Connection connection, String principal, String key, String fingerprint, StoredResponse response)
            throws SQLException {
        Instant now = clock.instant();
        try (PreparedStatement upsert = connection.prepareStatement("INSERT INTO " + TABLE
                + " AS kept (principal, idempotency_key, request_hash, status, location, etag, body, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (principal, idempotency_key) DO UPDATE SET"
                + " request_hash = excluded.request_hash, status = excluded.status, location = excluded.location,"
                + " etag = excluded.etag, body = excluded.body, created_at = excluded.created_at"
                + " WHERE kept.created_at < ?")) {
            upsert.setString(1, principal);
            upsert.setString(2, key);
            upsert.setString(3, fingerprint);
            upsert.setInt(4, response.status());
            upsert.setString(5, response.location());
            upsert.setString(6, response.etag());
            upsert.setString(7, response.body());
            upsert.setTimestamp(8, Timestamp.from(now));
            upsert.setTimestamp(9, Timestamp.from(now.minus(config.retention())));
            // The insert of a racing request with the same key waits for it to commit, then finds its answer kept.
            if (upsert.executeUpdate() == 0) {
                throw new KeyTaken();
            }
        }
    }

    private Instant oldestKept() {
        return clock.instant().minus(config.retention());
    }

    /** 422: the key answered another request. */
    public static final class KeyReused extends ProblemException {
        private static final long serialVersionUID = 1L;

        KeyReused(String key) {
            super(422, "Idempotency-Key '" + key + "' was used before for a different request (another path or body);"
                    + " nothing was changed. Use a new key for a new request.");
        }
    }

    /** 409: a request with the same key stored its answer first; this one must roll back. */
    public static final class KeyTaken extends ProblemException {
        private static final long serialVersionUID = 1L;

        KeyTaken() {
            super(409, "A request with this Idempotency-Key was being processed at the same time and was answered first;"
                    + " nothing was changed by this one. Send it again to get that answer.");
        }
    }
}

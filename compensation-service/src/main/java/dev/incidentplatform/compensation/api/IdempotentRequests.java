package dev.incidentplatform.compensation.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;

import javax.sql.DataSource;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.problem.ProblemException;

/**
 * {@code Idempotency-Key} on the POSTs that create something. The first answer to a (caller, key) is stored in the
 * transaction of the change it answers; the same request sent again gets that answer back and changes nothing, the
 * same key with another request gets 422, and a retry racing the first request gets 409 (send it again).
 */
@ApplicationScoped
public class IdempotentRequests {

    public static final String HEADER = RequestHeaders.IDEMPOTENCY_KEY;
    public static final String REPLAYED = RequestHeaders.IDEMPOTENT_REPLAYED;

    private final DataSource dataSource;
    private final ObjectMapper json;

    public IdempotentRequests(DataSource dataSource, ObjectMapper json) {
        this.dataSource = dataSource;
        this.json = json;
    }

    /** What was answered: status, Location and the JSON body. */
    public record Answer(int status, String location, String body) {

        public Response replay() {
            return response().header(REPLAYED, "true").build();
        }

        /**
         * The answer as sent: a 201 carries Location and an ETag, a strong validator of the body (the same bytes on a
         * replay, so a retried request sees the same ETag).
         */
        Response.ResponseBuilder response() {
            Response.ResponseBuilder response = Response.status(status).type(MediaType.APPLICATION_JSON).entity(body);
            if (location != null) {
                // As a header, not Response.location(): JAX-RS would make it absolute from the request's Host header,
                // which the client controls. A relative reference is what RFC 9110 allows and what this API sends.
                response.header(HttpHeaders.LOCATION, location);
            }
            if (status == 201) {
                MessageDigest digest = requestDigest("ETag", "");
                digest.update(body.getBytes(StandardCharsets.UTF_8));
                response.tag(new EntityTag(hex(digest).substring(0, 32)));
            }
            return response;
        }
    }

    /** The key the client sent, or empty; 400 for one that is not 1 to 255 visible ASCII characters. */
    public static Optional<String> key(String header) {
        return Optional.ofNullable(RequestHeaders.idempotencyKey(header));
    }

    public static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** A digest of the request, seeded with its method and path; the caller adds the body. */
    public static MessageDigest requestDigest(String method, String path) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update((method + " " + path + "\n").getBytes(StandardCharsets.UTF_8));
            return digest;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash of a JSON request as read: the same request with other spacing or key order hashes the same. */
    public String hashJson(String method, String path, Object request) {
        MessageDigest digest = requestDigest(method, path);
        try {
            digest.update(json.writeValueAsBytes(request));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return hex(digest);
    }

    /** The stored answer to this request, replayed, when a key was sent and answered before; 422 for another request. */
    public Optional<Response> replay(String principal, Optional<String> key, String requestHash) {
        return key.flatMap(k -> previous(principal, k, requestHash)).map(Answer::replay);
    }

    /** The stored answer to this key, if any; 422 when it answered another request (not checked for a null hash). */
    public Optional<Answer> previous(String principal, String key, String requestHash) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement query = connection.prepareStatement("SELECT request_hash, status, location, body"
                        + " FROM idempotency_record WHERE principal = ? AND idempotency_key = ?")) {
            query.setString(1, principal);
            query.setString(2, key);
            try (ResultSet row = query.executeQuery()) {
                if (!row.next()) {
                    return Optional.empty();
                }
                if (requestHash != null && !row.getString(1).equals(requestHash)) {
                    throw keyReused(key);
                }
                return Optional.of(new Answer(row.getInt(2), row.getString(3), row.getString(4)));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The answer to a request that created something; with a key, it is first stored in the current (JTA)
     * transaction, so that a retry gets exactly these bytes back.
     */
    public Response answer(String principal, Optional<String> key, String requestHash, int status, String location,
            Object body) {
        String text = write(body);
        if (key.isPresent()) {
            try (Connection connection = dataSource.getConnection()) {
                insert(connection, principal, key.get(), requestHash, status, location, text);
            } catch (SQLException e) {
                throw new IllegalStateException(e);
            }
        }
        return new Answer(status, location, text).response().build();
    }

    /** Stores the answer in the transaction of the given connection; 409 when a racing request stored one first. */
    public void store(Connection connection, String principal, String key, String requestHash, int status,
            String location, Object body) throws SQLException {
        insert(connection, principal, key, requestHash, status, location, write(body));
    }

    private String write(Object body) {
        try {
            return json.writeValueAsString(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void insert(Connection connection, String principal, String key, String requestHash, int status,
            String location, String text) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO idempotency_record"
                + " (principal, idempotency_key, request_hash, status, location, body) VALUES (?, ?, ?, ?, ?, ?)")) {
            insert.setString(1, principal);
            insert.setString(2, key);
            insert.setString(3, requestHash);
            insert.setInt(4, status);
            insert.setString(5, location);
            insert.setString(6, text);
            insert.executeUpdate();
        } catch (SQLException e) {
            if ("23505".equals(e.getSQLState())) {
                // Another request with this key committed first; this one rolls back, its retry gets that answer.
                throw new ProblemException(409, "A request with this Idempotency-Key was being processed at the same time"
                        + " and was answered first; nothing was changed by this one. Send it again to get that answer.");
            }
            throw e;
        }
    }

    private static ProblemException keyReused(String key) {
        return new ProblemException(422, "Idempotency-Key '" + key + "' was used before for a different request (another"
                + " path or body); nothing was changed. Use a new key for a new request.");
    }
}

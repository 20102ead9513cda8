package dev.incidentplatform.notification.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;

/**
 * The statements every sender and heartbeat runs stay cheap with 100 000 deliveries pending (one fan-out to 100 000
 * subscribers) and 500 being sent: each reaches delivery through an index, never a scan of the table, with the plan
 * PostgreSQL picks for the first executions (custom) and the one it may cache after (generic). The rows live in one
 * transaction that is rolled back, so the running senders never see them. The plans are written to
 * target/claim-plans.
 */
@QuarkusTest
class ClaimPlanTest {

    private static final int PENDING = 100_000;
    private static final int SENDING = 500;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DataSource dataSource;

    @Test
    void theClaimHeartbeatSweepAndOutcomesUseIndexesAt100000PendingRows() throws Exception {
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                UUID incident = UUID.randomUUID();
                Held held = fill(connection, incident);
                String ids = "'{" + String.join(",", held.ids()) + "}'::uuid[]";
                String owners = "array_fill('plan#0'::text, ARRAY[" + held.ids().size() + "])";
                String threads = "array_fill('" + incident + "'::uuid, ARRAY[25]), '{"
                        + String.join(",", held.recipients().subList(0, 25)) + "}'::uuid[], array_fill('email'::text, ARRAY[25])";

                for (String mode : List.of("force_custom_plan", "force_generic_plan")) {
                    execute(connection, "SET LOCAL plan_cache_mode = " + mode);
                    JsonNode claim = explain(connection, "claim_" + mode, DeliveryStore.claimDue(25),
                            "(text[], text, bigint, text)", "'{email}', 'plan#1', 5000, 'gone'");
                    assertNoScanOfDelivery(mode + " claim", claim);
                    assertThat(find(claim, node -> "Seq Scan".equals(node.path("Node Type").asText())
                            && "subscriber".equals(node.path("Relation Name").asText())))
                            .as(mode + ": the claim asks for its rows' recipients only").isNull();
                    JsonNode due = find(claim, node -> "CTE due".equals(node.path("Subplan Name").asText()));
                    assertThat(due).as(mode + ": the claim's CTE").isNotNull();
                    assertThat(find(due, node -> "delivery_due".equals(node.path("Index Name").asText())))
                            .as(mode + ": the claim walks delivery_due in order").isNotNull();
                    assertThat(find(due, node -> "Sort".equals(node.path("Node Type").asText())))
                            .as(mode + ": the claim sorts nothing").isNull();
                    assertThat(claim.path("Plan").path("Actual Rows").asInt()).as(mode + ": rows claimed").isEqualTo(25);

                    assertNoScanOfDelivery(mode + " pending of threads", explain(connection, "pending_" + mode,
                            DeliveryStore.PENDING_OF_THREADS, "(uuid[], uuid[], text[])", threads));
                    assertNoScanOfDelivery(mode + " heartbeat", explain(connection, "renew_" + mode, DeliveryStore.RENEW_LEASES,
                            "(uuid[], text[], bigint)", ids + ", " + owners + ", 5000"));
                    assertNoScanOfDelivery(mode + " ordered lock", explain(connection, "lock_" + mode,
                            DeliveryStore.LOCK_IN_ID_ORDER, "(uuid[])", ids));
                    assertNoScanOfDelivery(mode + " sweep", explain(connection, "sweep_" + mode,
                            DeliveryStore.RELEASE_EXPIRED_LEASES, "", null));
                    assertNoScanOfDelivery(mode + " sent outcomes", explain(connection, "sent_" + mode, DeliveryStore.MARK_SENT,
                            "(uuid[], text[])", ids + ", " + owners));
                }
            } finally {
                connection.rollback();
                // PREPAREd statements outlive the transaction; the pooled connection must not keep them.
                List<String> prepared = new ArrayList<>();
                try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(
                        "SELECT name FROM pg_prepared_statements WHERE name LIKE '%force\\_%\\_plan'")) {
                    while (rows.next()) {
                        prepared.add(rows.getString(1));
                    }
                }
                for (String name : prepared) {
                    execute(connection, "DEALLOCATE " + name);
                }
                connection.setAutoCommit(true);
            }
        }
    }

    /** The rows being sent: their ids and recipients. */
    private record Held(List<String> ids, List<String> recipients) {
    }

    /** One incident fanned out to 100 000 subscribers, 500 of its deliveries being sent by "plan#0". */
    private static Held fill(Connection connection, UUID incident) throws SQLException {
        UUID event = UUID.randomUUID();
        String domain = "plan-" + UUID.randomUUID().toString().substring(0, 8) + ".example.test";
        execute(connection, "INSERT INTO inbox (event_id, event_type, topic, partition, \"offset\") VALUES ('" + event
                + "', 'incident-opened', 'plan', 0, 0)");
        execute(connection, "INSERT INTO notice (event_id, event_type, incident_id, stream_version, occurred_at, content,"
                + " recipients) VALUES ('" + event + "', 'incident-opened', '" + incident + "', 1, now(), '{}', " + PENDING + ")");
        execute(connection, "INSERT INTO subscriber (id, email, email_normalized, created_by, updated_by)"
                + " SELECT gen_random_uuid(), 'p' || g || '@" + domain + "', 'p' || g || '@" + domain + "', 'plan', 'plan'"
                + " FROM generate_series(1, " + (PENDING + SENDING) + ") g");
        execute(connection, "INSERT INTO delivery (event_id, recipient_id, channel, incident_id) SELECT '" + event
                + "', id, 'email', '" + incident + "' FROM subscriber WHERE email LIKE '%@" + domain + "'");
        Held held = new Held(new ArrayList<>(), new ArrayList<>());
        try (PreparedStatement claim = connection.prepareStatement("""
                UPDATE delivery SET status = 'sending', claimed_by = 'plan#0', attempts = 1,
                    lease_until = now() + interval '1 minute'
                WHERE id IN (SELECT id FROM delivery WHERE event_id = ? LIMIT ?) RETURNING id, recipient_id""")) {
            claim.setObject(1, event);
            claim.setInt(2, SENDING);
            try (ResultSet rows = claim.executeQuery()) {
                while (rows.next()) {
                    held.ids().add(rows.getString(1));
                    held.recipients().add(rows.getString(2));
                }
            }
        }
        execute(connection, "ANALYZE subscriber, delivery, notice");
        return held;
    }

    /** EXPLAIN ANALYZE of the statement as PREPAREd (its ? become $1…), executed with {@code arguments}. */
    private static JsonNode explain(Connection connection, String name, String sql, String types, String arguments)
            throws Exception {
        Matcher placeholder = Pattern.compile("\\?(?!\\?)").matcher(sql);
        StringBuilder numbered = new StringBuilder();
        int n = 0;
        while (placeholder.find()) {
            placeholder.appendReplacement(numbered, "\\$" + ++n);
        }
        placeholder.appendTail(numbered);
        execute(connection, "PREPARE " + name + " " + types + " AS " + numbered);
        String execute = "EXECUTE " + name + (arguments == null ? "" : " (" + arguments + ")");
        try (Statement statement = connection.createStatement();
                ResultSet row = statement.executeQuery("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + execute)) {
            row.next();
            JsonNode plan = JSON.readTree(row.getString(1)).get(0);
            System.out.printf(Locale.ROOT, "ClaimPlanTest: %-32s %8.2f ms%n", name, plan.path("Execution Time").asDouble());
            Path file = Path.of("target", "claim-plans", name + ".json");
            Files.createDirectories(file.getParent());
            Files.writeString(file, plan.toPrettyString());
            return plan;
        }
    }

    private static void assertNoScanOfDelivery(String what, JsonNode plan) {
        JsonNode scan = find(plan, node -> "Seq Scan".equals(node.path("Node Type").asText())
                && "delivery".equals(node.path("Relation Name").asText()));
        assertThat(scan).as(what + " reads delivery through an index:\n" + plan.toPrettyString()).isNull();
    }

    private static JsonNode find(JsonNode node, Predicate<JsonNode> match) {
        if (node.isObject() && match.test(node)) {
            return node;
        }
        for (JsonNode child : node) {
            JsonNode found = find(child, match);
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}

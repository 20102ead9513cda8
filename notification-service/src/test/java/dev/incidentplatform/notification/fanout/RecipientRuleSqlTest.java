package dev.incidentplatform.notification.fanout;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.support.Api;
import dev.incidentplatform.notification.unsubscribe.UnsubscribeLinks;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The fan-out's SQL (the recipient rule, over the {@code recipient} view of every channel's recipients) selects exactly
 * whom {@link RecipientRuleOracle} selects: on the table of cases, and on random recipients (subscribers, and
 * recipients of the test-only channel {@code recording}) and events in the real database, where every branch of the
 * SQL must have decided some pair.
 */
@QuarkusTest
class RecipientRuleSqlTest {

    private static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    @Inject
    UnsubscribeLinks links;

    /** Which branch of the rule decided a (subscriber, event) pair, so that the random run can show it met each. */
    enum Branch {
        ALL_SERVICES, LISTED_SERVICE, NO_SERVICE_MATCH, ALL_REGIONS, GLOBAL_COMPONENT, LISTED_REGION, NO_REGION_MATCH,
        UNSUBSCRIBED, SAME_CUSTOMER, OTHER_CUSTOMER, NO_CUSTOMER, EMAIL_RECIPIENT, OTHER_CHANNEL_RECIPIENT
    }

    /** A recipient of the email channel (a subscriber) or of the test channel; unsubscribed: not active. */
    private record Subscriber(UUID id, Interests interests, boolean unsubscribed, boolean testChannel) {
    }

    @Test
    void theSqlSelectsExactlyWhomTheOracleSelectsOnTheTableOfCases() throws SQLException {
        String suffix = Api.unique("rule");
        for (RecipientRuleCases.Case c : RecipientRuleCases.ALL) {
            // Services are made unique to this test so other tests' subscribers stay out of the way; the table's
            // empty filters still mean "all".
            UUID id = Api.createSubscriber(Api.unique("case") + "@" + suffix + ".example.test",
                    c.interests().services().stream().map(s -> s + "-" + suffix).toList(), List.copyOf(c.interests().regions()));
            List<Component> components = new ArrayList<>();
            for (Component component : c.components()) {
                components.add(new Component(component.service() + "-" + suffix, component.regions(), component.status()));
            }
            Set<UUID> selected = incidentRecipients(components);
            // Gone before the next case (and before other tests' incidents): an empty filter would hear about them all.
            Api.admin().when().delete("/api/subscribers/" + id).then().statusCode(204);
            assertThat(selected.contains(id)).as(c.name()).isEqualTo(c.receives());
            assertThat(RecipientRuleOracle.receivesIncidentNotice(c.interests(), c.components())).as(c.name())
                    .isEqualTo(c.receives());
        }
    }

    @Test
    void onRandomSubscribersAndEventsTheSqlAgreesWithTheOracleAndEveryBranchDecidesSomePair() throws SQLException {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        String suffix = Api.unique("prop");
        List<String> services = List.of("a-" + suffix, "b-" + suffix, "c-" + suffix);
        List<String> customers = List.of("x-" + suffix, "y-" + suffix);
        List<Subscriber> subscribers = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            subscribers.add(new Subscriber(UUID.randomUUID(), new Interests(subset(random, services), subset(random, REGIONS),
                    random.nextInt(3) == 0 ? null : customers.get(random.nextInt(customers.size()))), random.nextInt(5) == 0,
                    random.nextBoolean()));
        }
        Map<UUID, Subscriber> ours = new HashMap<>();
        subscribers.forEach(s -> ours.put(s.id(), s));
        insert(subscribers, suffix);
        Set<Branch> met = EnumSet.noneOf(Branch.class);
        try {
            for (int event = 0; event < 150; event++) {
                List<Component> components = new ArrayList<>();
                for (int c = random.nextInt(3) + 1; c > 0; c--) {
                    // A fourth service nobody follows by name, and "global" among the regions.
                    String service = random.nextInt(4) == 3 ? "d-" + suffix : services.get(random.nextInt(3));
                    List<String> regions = new ArrayList<>(subset(random, List.of("eu-west", "us-east", "ap-south", "global")));
                    if (regions.isEmpty()) {
                        regions.add(REGIONS.get(random.nextInt(3)));
                    }
                    components.add(new Component(service, regions, "major_outage"));
                }
                Set<UUID> selected = incidentRecipients(components);
                selected.retainAll(ours.keySet());
                for (Subscriber s : subscribers) {
                    boolean expected = !s.unsubscribed() && RecipientRuleOracle.receivesIncidentNotice(s.interests(), components);
                    assertThat(selected.contains(s.id())).as("seed %d: %s and %s", seed, s, components).isEqualTo(expected);
                    met.addAll(incidentBranches(s, components));
                    met.add(s.testChannel() ? Branch.OTHER_CHANNEL_RECIPIENT : Branch.EMAIL_RECIPIENT);
                }
            }
            for (String customer : List.of(customers.get(0), customers.get(1), "z-" + suffix)) {
                Set<UUID> selected = creditRecipients(customer);
                selected.retainAll(ours.keySet());
                for (Subscriber s : subscribers) {
                    boolean expected = !s.unsubscribed() && RecipientRuleOracle.receivesCreditNotice(s.interests(), customer);
                    assertThat(selected.contains(s.id())).as("seed %d: %s and credit of %s", seed, s, customer)
                            .isEqualTo(expected);
                    met.add(s.interests().customerId() == null ? Branch.NO_CUSTOMER
                            : s.interests().customerId().equals(customer) ? Branch.SAME_CUSTOMER : Branch.OTHER_CUSTOMER);
                }
            }
        } finally {
            delete(ours.keySet());
        }
        assertThat(met).as("branches decided, seed %d", seed).containsExactlyInAnyOrder(Branch.values());
    }

    @Test
    void unsubscribedSubscribersNeverMatch() throws SQLException {
        String service = Api.unique("unsub-rule");
        UUID id = Api.createSubscriber(Api.unique("gone") + "@example.test", List.of(service), List.of());
        List<Component> components = List.of(new Component(service, List.of("global"), "major_outage"));
        assertThat(incidentRecipients(components)).contains(id);
        given().queryParam("token", links.url(id).substring(links.url(id).indexOf("token=") + 6))
                .when().post("/unsubscribe").then().statusCode(200);
        assertThat(incidentRecipients(components)).doesNotContain(id);
    }

    private static Set<Branch> incidentBranches(Subscriber s, List<Component> components) {
        Set<Branch> branches = EnumSet.noneOf(Branch.class);
        if (s.unsubscribed()) {
            branches.add(Branch.UNSUBSCRIBED);
            return branches;
        }
        for (Component c : components) {
            branches.add(s.interests().services().isEmpty() ? Branch.ALL_SERVICES
                    : s.interests().services().contains(c.service()) ? Branch.LISTED_SERVICE : Branch.NO_SERVICE_MATCH);
            boolean listed = c.regions().stream().anyMatch(s.interests().regions()::contains);
            branches.add(s.interests().regions().isEmpty() ? Branch.ALL_REGIONS : c.global() ? Branch.GLOBAL_COMPONENT
                    : listed ? Branch.LISTED_REGION : Branch.NO_REGION_MATCH);
        }
        return branches;
    }

    private static Set<String> subset(Random random, List<String> values) {
        Set<String> subset = new LinkedHashSet<>();
        values.forEach(value -> {
            if (random.nextInt(3) == 0) {
                subset.add(value);
            }
        });
        return subset;
    }

    /** The subscribers the fan-out of an incident event with these components writes a delivery for. */
    private Set<UUID> incidentRecipients(List<Component> components) throws SQLException {
        List<Map<String, Object>> affected = components.stream()
                .map(c -> Map.<String, Object>of("service", c.service(), "regions", c.regions())).toList();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                FanOut.AFFECTED + "SELECT s.id FROM recipient s WHERE" + FanOut.RECEIVES_INCIDENT_NOTICE)) {
            query.setString(1, json.writeValueAsString(affected));
            return ids(query);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The subscribers the fan-out of a credit of this customer writes a delivery for. */
    private Set<UUID> creditRecipients(String customerId) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(
                "SELECT s.id FROM recipient s WHERE" + FanOut.RECEIVES_CREDIT_NOTICE)) {
            query.setString(1, customerId);
            return ids(query);
        }
    }

    private static Set<UUID> ids(PreparedStatement query) throws SQLException {
        Set<UUID> ids = new HashSet<>();
        try (ResultSet rows = query.executeQuery()) {
            while (rows.next()) {
                ids.add(rows.getObject(1, UUID.class));
            }
        }
        return ids;
    }

    private void insert(List<Subscriber> subscribers, String suffix) throws SQLException {
        try (Connection connection = dataSource.getConnection(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO subscriber (id, email, email_normalized, customer_id, services, regions, unsubscribed_at,
                    created_by, updated_by)
                VALUES (?, ?, ?, ?, ?, ?, CASE WHEN ? THEN now() END, 'property-test', 'property-test')""");
                PreparedStatement insertTestRecipient = connection.prepareStatement("""
                        INSERT INTO test_channel_recipient (id, customer_id, services, regions, active)
                        VALUES (?, ?, ?, ?, NOT ?)""")) {
            for (Subscriber s : subscribers) {
                if (s.testChannel()) {
                    insertTestRecipient.setObject(1, s.id());
                    insertTestRecipient.setString(2, s.interests().customerId());
                    insertTestRecipient.setArray(3, connection.createArrayOf("text", s.interests().services().toArray()));
                    insertTestRecipient.setArray(4, connection.createArrayOf("text", s.interests().regions().toArray()));
                    insertTestRecipient.setBoolean(5, s.unsubscribed());
                    insertTestRecipient.addBatch();
                    continue;
                }
                String email = s.id() + "@" + suffix + ".example.test";
                insert.setObject(1, s.id());
                insert.setString(2, email);
                insert.setString(3, email);
                insert.setString(4, s.interests().customerId());
                insert.setArray(5, connection.createArrayOf("text", s.interests().services().toArray()));
                insert.setArray(6, connection.createArrayOf("text", s.interests().regions().toArray()));
                insert.setBoolean(7, s.unsubscribed());
                insert.addBatch();
            }
            insert.executeBatch();
            insertTestRecipient.executeBatch();
        }
    }

    /** Gone before other tests' incidents: an empty filter would hear about them all. */
    private void delete(Set<UUID> ids) throws SQLException {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement delete = connection.prepareStatement("DELETE FROM subscriber WHERE id = ANY (?)");
                PreparedStatement deleteTestRecipients = connection.prepareStatement(
                        "DELETE FROM test_channel_recipient WHERE id = ANY (?)")) {
            delete.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            delete.executeUpdate();
            deleteTestRecipients.setArray(1, connection.createArrayOf("uuid", ids.toArray()));
            deleteTestRecipients.executeUpdate();
        }
    }
}

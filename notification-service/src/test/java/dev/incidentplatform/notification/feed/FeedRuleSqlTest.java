package dev.incidentplatform.notification.feed;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import dev.incidentplatform.notification.domain.Component;
import dev.incidentplatform.notification.domain.IncidentNotice;
import dev.incidentplatform.notification.fanout.Interests;
import dev.incidentplatform.notification.fanout.RecipientRuleCases;
import dev.incidentplatform.notification.fanout.RecipientRuleOracle;
import io.quarkus.test.junit.QuarkusTest;

/**
 * A feed's filter selects exactly the entries a subscriber with the same services and regions would have been sent:
 * the feed's SQL ({@link FeedStore#MATCHES_FILTER}, with a review's components from {@link FeedStore#COMPONENTS}) is
 * held to the fan-out's test oracle {@link RecipientRuleOracle}, on the recipient rule's table of cases and on random
 * incidents and filters in the real database. Its notices are written straight into the tables, dated 2001, so that
 * no feed of another test shows them; they are removed afterwards.
 */
@QuarkusTest
class FeedRuleSqlTest {

    private static final List<String> REGIONS = List.of("eu-west", "us-east", "ap-south");
    private static final Instant LONG_AGO = Instant.parse("2001-01-01T00:00:00Z");

    @Inject
    DataSource dataSource;

    @Inject
    ObjectMapper json;

    enum Branch {
        ALL_SERVICES, LISTED_SERVICE, NO_SERVICE_MATCH, ALL_REGIONS, GLOBAL_COMPONENT, LISTED_REGION, NO_REGION_MATCH,
        REVIEW_MATCHES, REVIEW_DOES_NOT_MATCH
    }

    /** A stored notice and the components the rule judges it by (a review's are its incident's last before it). */
    private record Stored(UUID eventId, List<Component> components, boolean review) {
    }

    @Test
    void theFilterSelectsWhatTheRecipientRuleWouldOnItsTableOfCases() throws Exception {
        List<UUID> written = new ArrayList<>();
        try {
            for (RecipientRuleCases.Case c : RecipientRuleCases.ALL) {
                UUID incident = UUID.randomUUID();
                UUID opening = write(incident, 1, "incident-opened", c.components(), written);
                UUID review = write(incident, 2, "review-published", List.of(), written);
                FeedFilter filter = new FeedFilter(c.interests().services(), c.interests().regions());

                Set<UUID> matched = matching(filter, List.of(opening, review));

                assertThat(matched.contains(opening)).as(c.name()).isEqualTo(c.receives());
                assertThat(matched.contains(review)).as(c.name() + " (its review)").isEqualTo(c.receives());
            }
        } finally {
            delete(written);
        }
    }

    @Test
    void onRandomIncidentsAndFiltersTheSqlAgreesWithTheRecipientRule() throws Exception {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        List<String> services = List.of("a", "b", "c");
        List<Stored> stored = new ArrayList<>();
        List<UUID> written = new ArrayList<>();
        Set<Branch> met = EnumSet.noneOf(Branch.class);
        try {
            for (int i = 0; i < 80; i++) {
                UUID incident = UUID.randomUUID();
                int versions = random.nextInt(3) + 1;
                List<Component> last = List.of();
                for (int version = 1; version <= versions; version++) {
                    last = components(random, services);
                    stored.add(new Stored(write(incident, version, version == 1 ? "incident-opened" : "update-posted", last,
                            written), last, false));
                }
                if (random.nextBoolean()) {
                    stored.add(new Stored(write(incident, versions + 1, "review-published", List.of(), written), last, true));
                }
            }
            List<UUID> ids = stored.stream().map(Stored::eventId).toList();
            for (int f = 0; f < 60; f++) {
                // Filters may name 'global' as a region and a service no incident has.
                Set<String> filterServices = subset(random, List.of("a", "b", "c", "d"));
                Set<String> filterRegions = subset(random, List.of("eu-west", "us-east", "ap-south", "global"));
                if (filterServices.isEmpty() && filterRegions.isEmpty()) {
                    filterServices.add("a");
                }
                FeedFilter filter = new FeedFilter(filterServices, filterRegions);
                Interests interests = new Interests(filterServices, filterRegions, null);

                Set<UUID> matched = matching(filter, ids);

                for (Stored s : stored) {
                    boolean expected = RecipientRuleOracle.receivesIncidentNotice(interests, s.components());
                    assertThat(matched.contains(s.eventId())).as("seed %d: %s and %s", seed, filter, s).isEqualTo(expected);
                    if (s.review()) {
                        met.add(expected ? Branch.REVIEW_MATCHES : Branch.REVIEW_DOES_NOT_MATCH);
                    }
                    met.addAll(branches(interests, s.components()));
                }
            }
        } finally {
            delete(written);
        }
        assertThat(met).as("branches decided, seed %d", seed).containsExactlyInAnyOrder(Branch.values());
    }

    @Test
    void aReviewOfAnIncidentNeverSeenBeforeMatchesNoFilter() throws Exception {
        List<UUID> written = new ArrayList<>();
        try {
            UUID review = write(UUID.randomUUID(), 3, "review-published", List.of(), written);
            assertThat(matching(new FeedFilter(Set.of(), Set.of("eu-west")), List.of(review))).isEmpty();
        } finally {
            delete(written);
        }
    }

    @Test
    void theFeedIsReadFromItsIndexNewestFirstWithoutSortingTheTable() throws SQLException {
        for (FeedFilter filter : List.of(FeedFilter.NONE, new FeedFilter(Set.of("teams"), Set.of("eu-west")))) {
            StringBuilder plan = new StringBuilder();
            try (Connection connection = dataSource.getConnection()) {
                connection.setAutoCommit(false);
                try (Statement settings = connection.createStatement()) {
                    // Whatever the test database's size: can the statement be answered from the index, in its order?
                    settings.execute("SET LOCAL enable_seqscan = off");
                    settings.execute("SET LOCAL enable_sort = off");
                }
                try (PreparedStatement explain = connection.prepareStatement("EXPLAIN " + FeedStore.query(filter))) {
                    explain.setArray(1, texts(connection, filter.services()));
                    explain.setArray(2, texts(connection, filter.regions()));
                    explain.setInt(3, 50);
                    try (ResultSet rows = explain.executeQuery()) {
                        while (rows.next()) {
                            plan.append(rows.getString(1)).append('\n');
                        }
                    }
                }
                connection.rollback();
                connection.setAutoCommit(true);
            }
            assertThat(plan.toString()).as("plan for %s", filter).contains("Index Scan using notice_feed on notice n")
                    .doesNotContain("Sort");
        }
    }

    private static Set<Branch> branches(Interests interests, List<Component> components) {
        Set<Branch> branches = EnumSet.noneOf(Branch.class);
        for (Component c : components) {
            branches.add(interests.services().isEmpty() ? Branch.ALL_SERVICES
                    : interests.services().contains(c.service()) ? Branch.LISTED_SERVICE : Branch.NO_SERVICE_MATCH);
            boolean listed = c.regions().stream().anyMatch(interests.regions()::contains);
            branches.add(interests.regions().isEmpty() ? Branch.ALL_REGIONS : c.global() ? Branch.GLOBAL_COMPONENT
                    : listed ? Branch.LISTED_REGION : Branch.NO_REGION_MATCH);
        }
        return branches;
    }

    private static List<Component> components(Random random, List<String> services) {
        List<Component> components = new ArrayList<>();
        for (int c = random.nextInt(3) + 1; c > 0; c--) {
            List<String> regions = new ArrayList<>(subset(random, List.of("eu-west", "us-east", "ap-south", "global")));
            if (regions.isEmpty()) {
                regions.add(REGIONS.get(random.nextInt(REGIONS.size())));
            }
            components.add(new Component(services.get(random.nextInt(services.size())), regions, "major_outage"));
        }
        return components;
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

    /** Of these notices, the ones the filter selects. */
    private Set<UUID> matching(FeedFilter filter, List<UUID> among) throws SQLException {
        String sql = FeedStore.WANTED + "SELECT e.event_id FROM (SELECT n.event_id, " + FeedStore.COMPONENTS
                + " AS components FROM notice n WHERE n.event_id = ANY (?)) e WHERE" + FeedStore.MATCHES_FILTER;
        Set<UUID> matched = new HashSet<>();
        try (Connection connection = dataSource.getConnection(); PreparedStatement query = connection.prepareStatement(sql)) {
            query.setArray(1, texts(connection, filter.services()));
            query.setArray(2, texts(connection, filter.regions()));
            query.setArray(3, connection.createArrayOf("uuid", among.toArray()));
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    matched.add(rows.getObject(1, UUID.class));
                }
            }
        }
        return matched;
    }

    /** A notice as the fan-out writes one (with its inbox record), about these components; a review names none. */
    private UUID write(UUID incident, int streamVersion, String type, List<Component> components, List<UUID> written)
            throws Exception {
        UUID eventId = UUID.randomUUID();
        IncidentNotice notice = "review-published".equals(type)
                ? new IncidentNotice(type, incident, streamVersion, "Rule case", "SEV3", "resolved", null, List.of(), LONG_AGO,
                        new IncidentNotice.Review(1, "Cause", "Impact", List.of()), LONG_AGO)
                : new IncidentNotice(type, incident, streamVersion, "Rule case", "SEV3", "investigating", "Message", components,
                        LONG_AGO, null, LONG_AGO);
        try (Connection connection = dataSource.getConnection()) {
            try (PreparedStatement inbox = connection.prepareStatement(
                    "INSERT INTO inbox (event_id, event_type, topic, partition, \"offset\") VALUES (?, ?, 'feed-rule-test', 0, 0)")) {
                inbox.setObject(1, eventId);
                inbox.setString(2, type);
                inbox.executeUpdate();
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO notice (event_id, event_type, incident_id, stream_version, occurred_at, content, recipients)
                    VALUES (?, ?, ?, ?, ?, ?::jsonb, 0)""")) {
                insert.setObject(1, eventId);
                insert.setString(2, type);
                insert.setObject(3, incident);
                insert.setInt(4, streamVersion);
                insert.setTimestamp(5, Timestamp.from(LONG_AGO.plusSeconds(streamVersion)));
                insert.setString(6, json.writeValueAsString(notice));
                insert.executeUpdate();
            }
        }
        written.add(eventId);
        return eventId;
    }

    private void delete(List<UUID> eventIds) throws SQLException {
        try (Connection connection = dataSource.getConnection()) {
            for (String table : List.of("notice", "inbox")) {
                try (PreparedStatement delete = connection.prepareStatement("DELETE FROM " + table + " WHERE event_id = ANY (?)")) {
                    delete.setArray(1, connection.createArrayOf("uuid", eventIds.toArray()));
                    delete.executeUpdate();
                }
            }
        }
    }

    private static Array texts(Connection connection, Set<String> values) throws SQLException {
        return connection.createArrayOf("text", values.toArray());
    }
}

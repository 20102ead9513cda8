package dev.incidentplatform.compensation.creditrun;

import static dev.incidentplatform.compensation.Incidents.component;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import dev.incidentplatform.compensation.Api;
import dev.incidentplatform.compensation.Incidents;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Credit runs applied chunk by chunk (the test profile's chunks hold 2 contracts) by the service's worker and, at the
 * same time, by other "instances" (threads of this test calling the chunk directly): every contract is credited
 * exactly once per incident, runs of one (service, month) apply in the order they were planned, and a run whose
 * progress is lost (applied again from the start) inserts nothing twice.
 */
@QuarkusTest
class CreditRunTest {

    private static final int CONTRACTS = 9;

    @Inject
    DataSource dataSource;

    @Inject
    CreditRunChunks chunks;

    @Test
    void competingWorkersApplyEachRunOnceAndInTheOrderTheRunsWerePlanned() throws Exception {
        String vm = Api.uniqueService("vm");
        List<UUID> contracts = new ArrayList<>();
        for (int i = 0; i < CONTRACTS; i++) {
            contracts.add(Api.contract("northwind-" + i + "-" + vm, vm, List.of("global"), "1000.00", "USD", "azure-99.9", "2024-01"));
        }
        AtomicBoolean done = new AtomicBoolean();
        ExecutorService instances = Executors.newFixedThreadPool(3);
        List<Future<?>> running = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            running.add(instances.submit(() -> {
                while (!done.get()) {
                    if (chunks.applyNext().isEmpty()) {
                        Thread.sleep(5);
                    }
                }
                return null;
            }));
        }
        try {
            // A: 300 min in July → 10 % of 1000.00; B: 200 more → 25 %: an adjustment of 150.00 after A's 100.00.
            Incidents a = new Incidents();
            Incidents.send(a.opened("2024-07-05T00:00:00Z", component(vm, "major_outage", "global")),
                    a.resolved("2024-07-05T05:00:00Z", component(vm, "operational", "global")));
            Incidents b = new Incidents();
            Incidents.send(b.opened("2024-07-20T00:00:00Z", component(vm, "partial_outage", "global")),
                    b.resolved("2024-07-20T03:20:00Z", component(vm, "operational", "global")));
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> pendingRuns(vm) == 0 && entries(vm).size() == 2 * CONTRACTS);
        } finally {
            done.set(true);
            for (Future<?> instance : running) {
                instance.get();
            }
            instances.shutdown();
        }
        for (UUID contract : contracts) {
            assertThat(entries(vm)).filteredOn(e -> e.contractId().equals(contract))
                    .extracting(Entry::kind, Entry::amount)
                    .containsExactly(tuple("original", new BigDecimal("100.00")),
                            tuple("adjustment", new BigDecimal("150.00")));
        }
        assertThat(scalar("SELECT min(chunks) FROM credit_run WHERE service = ?", vm)).as("several chunks per run")
                .isEqualTo(CONTRACTS / 2 + 1);
        assertThat(scalar("SELECT sum(entries) FROM credit_run WHERE service = ?", vm)).isEqualTo(2 * CONTRACTS);

        // The progress lost: both runs start again from the first contract. Nothing is issued twice.
        List<Entry> before = entries(vm);
        try (Connection c = dataSource.getConnection();
                PreparedStatement reset = c.prepareStatement(
                        "UPDATE credit_run SET done_through = NULL, finished_at = NULL WHERE service = ?")) {
            reset.setString(1, vm);
            assertThat(reset.executeUpdate()).isEqualTo(2);
        }
        Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> pendingRuns(vm) == 0);
        assertThat(entries(vm)).isEqualTo(before);
        assertThat(scalar("SELECT sum(entries) FROM credit_run WHERE service = ?", vm)).isEqualTo(2 * CONTRACTS);
    }

    private record Entry(UUID contractId, UUID incidentId, String kind, BigDecimal amount) {
    }

    private List<Entry> entries(String service) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(
                "SELECT contract_id, incident_id, kind, amount FROM credit WHERE service = ? ORDER BY position")) {
            query.setString(1, service);
            List<Entry> entries = new ArrayList<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    entries.add(new Entry(rows.getObject("contract_id", UUID.class), rows.getObject("incident_id", UUID.class),
                            rows.getString("kind"), rows.getBigDecimal("amount")));
                }
            }
            return entries;
        }
    }

    private long pendingRuns(String service) throws SQLException {
        return scalar("SELECT count(*) FROM credit_run WHERE service = ? AND finished_at IS NULL", service);
    }

    private long scalar(String sql, String service) throws SQLException {
        try (Connection c = dataSource.getConnection(); PreparedStatement query = c.prepareStatement(sql)) {
            query.setString(1, service);
            try (ResultSet rows = query.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }
}

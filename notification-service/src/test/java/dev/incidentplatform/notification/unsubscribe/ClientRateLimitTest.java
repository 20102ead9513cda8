package dev.incidentplatform.notification.unsubscribe;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

class ClientRateLimitTest {

    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final ClientRateLimit limit = new ClientRateLimit(3, Duration.ofSeconds(60), 2, now::get);

    @Test
    void aClientGetsItsBudgetPerWindowThenWaitsForTheWindowToEnd() {
        for (int i = 0; i < 3; i++) {
            assertThat(limit.acquire("192.0.2.1")).isZero();
        }
        now.addAndGet(Duration.ofSeconds(20).toNanos());
        assertThat(limit.acquire("192.0.2.1")).isEqualTo(40);
        assertThat(limit.acquire("192.0.2.2")).as("another client has its own budget").isZero();
        now.addAndGet(Duration.ofSeconds(40).toNanos());
        assertThat(limit.acquire("192.0.2.1")).as("a new window").isZero();
    }

    @Test
    void aFractionOfASecondLeftIsOneSecondToWait() {
        for (int i = 0; i < 3; i++) {
            limit.acquire("192.0.2.1");
        }
        now.addAndGet(Duration.ofMillis(59_500).toNanos());
        assertThat(limit.acquire("192.0.2.1")).isEqualTo(1);
    }

    @Test
    void memoryIsBoundedByTheNumberOfClientsKept() {
        for (int i = 0; i < 3; i++) {
            limit.acquire("192.0.2.1");
        }
        limit.acquire("192.0.2.2");
        // A third client while two windows are open: the windows are forgotten rather than the map growing.
        assertThat(limit.acquire("192.0.2.3")).isZero();
        assertThat(limit.acquire("192.0.2.1")).isZero();
    }
}

package dev.incidentplatform.platform.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;

import dev.incidentplatform.platform.kafka.KafkaClients;
import io.smallrye.health.api.HealthGroup;

/**
 * The broker's state, in the health group {@code broker} ({@code /q/health/group/broker}), not in readiness: a
 * service whose broker is away still serves its REST API (commands are kept in the outbox, notices and credits wait),
 * so taking it out of the load balancer would only make things worse. Answers within seconds (Quarkus' own check
 * waits for the admin client's default minute). The admin client is built by {@link KafkaClients}, so TLS and SASL
 * apply here as they do to the channels.
 */
@HealthGroup(BrokerHealthCheck.GROUP)
@ApplicationScoped
public class BrokerHealthCheck implements HealthCheck {

    public static final String GROUP = "broker";
    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final Admin admin;

    public BrokerHealthCheck(KafkaClients kafka) {
        int timeoutMs = (int) TIMEOUT.toMillis();
        this.admin = Admin.create(kafka.admin("broker-health", Map.of(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, timeoutMs,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, timeoutMs, AdminClientConfig.RECONNECT_BACKOFF_MAX_MS_CONFIG, 1000)));
    }

    @Override
    public HealthCheckResponse call() {
        try {
            int brokers = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) TIMEOUT.toMillis()))
                    .nodes().get(TIMEOUT.toMillis() + 500, TimeUnit.MILLISECONDS).size();
            return HealthCheckResponse.named("Kafka").status(brokers > 0).withData("brokers", brokers).build();
        } catch (ExecutionException | TimeoutException e) {
            return HealthCheckResponse.named("Kafka").down().withData("error", String.valueOf(e.getMessage())).build();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return HealthCheckResponse.named("Kafka").down().build();
        }
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(1));
    }
}

package dev.incidentplatform.system;

import static io.restassured.RestAssured.given;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.incidentplatform.testsupport.ServiceProcess;
import dev.incidentplatform.testsupport.TestTokens;
import io.restassured.specification.RequestSpecification;

/**
 * The three packaged services, each as several instances (separate JVMs) that share the service's database and
 * consumer groups, as replicas on a cluster do. Their logs stay under {@code target/} ({@code scale-<service>-<k>-1.log}).
 * Closing it stops every instance that still runs, whatever happened before.
 */
final class ReplicatedSystem implements AutoCloseable {

    private final Map<String, Map<String, String>> configs;
    private final Map<String, List<ServiceProcess>> instances = new LinkedHashMap<>();

    private ReplicatedSystem(Map<String, Map<String, String>> configs) {
        this.configs = configs;
    }

    /** {@code replicas} instances of each service, configured by {@code configs} (service name → settings), started in parallel. */
    static ReplicatedSystem start(int replicas, Map<String, Map<String, String>> configs) {
        ReplicatedSystem system = new ReplicatedSystem(configs);
        List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
        configs.forEach((service, config) -> {
            List<ServiceProcess> list = new ArrayList<>();
            for (int k = 1; k <= replicas; k++) {
                Path jar = Path.of("..", service, "target", "quarkus-app", "quarkus-run.jar");
                ServiceProcess instance = ServiceProcess.of("scale-" + service + "-" + k, jar, config);
                list.add(instance);
                starting.add(CompletableFuture.supplyAsync(instance::start));
            }
            system.instances.put(service, list);
        });
        try {
            CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).join();
        } catch (RuntimeException e) {
            system.close();
            throw e;
        }
        return system;
    }

    List<ServiceProcess> instancesOf(String service) {
        return instances.get(service);
    }

    ServiceProcess instance(String service, int k) {
        return instances.get(service).get(k - 1);
    }

    /** A JDBC connection to the database the instances of {@code service} share. */
    Connection database(String service) throws SQLException {
        Map<String, String> config = configs.get(service);
        return DriverManager.getConnection(config.get("quarkus.datasource.jdbc.url"), config.get("quarkus.datasource.username"),
                config.get("quarkus.datasource.password"));
    }

    static RequestSpecification as(ServiceProcess instance, String role) {
        return given().baseUri(instance.baseUri().toString()).auth().oauth2(TestTokens.forRoles("system-test", role));
    }

    /** Whether the instance leads the outbox subscription {@code stream}, from its {@code outbox_leader} gauge. */
    static boolean leads(ServiceProcess instance, String stream) {
        return gauge(instance, "outbox_leader", stream) == 1.0;
    }

    /** A meter of the instance's Prometheus scrape with the tag {@code stream}; 0 when absent or unreachable. */
    static double gauge(ServiceProcess instance, String meter, String stream) {
        if (!instance.alive()) {
            return 0;
        }
        try {
            String scrape = given().baseUri(instance.baseUri().toString()).get("/q/metrics").then().extract().asString();
            Matcher value = Pattern.compile("(?m)^" + Pattern.quote(meter + "{stream=\"" + stream + "\"}") + " (\\S+)( # .*)?$")
                    .matcher(scrape);
            return value.find() ? Double.parseDouble(value.group(1)) : 0;
        } catch (RuntimeException e) {
            return 0;
        }
    }

    @Override
    public void close() {
        instances.values().forEach(list -> list.forEach(instance -> {
            try {
                instance.close();
            } catch (RuntimeException e) {
                System.err.println("could not stop an instance: " + e);
            }
        }));
    }
}

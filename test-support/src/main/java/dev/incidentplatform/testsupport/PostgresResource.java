package dev.incidentplatform.testsupport;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/** Gives the service under test a fresh database of its own on this JVM's PostgreSQL server. */
public class PostgresResource implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE_PREFIX = "database-prefix";

    private String prefix = "test";
    private String jdbcUrl;

    @Override
    public void init(Map<String, String> initArgs) {
        prefix = initArgs.getOrDefault(DATABASE_PREFIX, prefix);
    }

    @Override
    public Map<String, String> start() {
        PostgresServer server = TestInfrastructure.postgres();
        jdbcUrl = server.createDatabase(prefix);
        return Map.of(
                "quarkus.datasource.jdbc.url", jdbcUrl,
                "quarkus.datasource.username", server.username(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        if (jdbcUrl != null) {
            TestInfrastructure.postgres().dropDatabase(jdbcUrl);
        }
    }
}

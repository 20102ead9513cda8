package dev.incidentplatform.testsupport;

import java.util.Locale;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;
import org.testcontainers.DockerClientFactory;

/**
 * Where the tests' Kafka, PostgreSQL and SMTP server come from.
 *
 * <p>Quarkus users expect Testcontainers wherever a Docker engine runs; the development machines have none, so the
 * same resources fall back to in-JVM and embedded servers. {@code TEST_INFRASTRUCTURE} (or the system property
 * {@code test.infrastructure}) forces a choice: {@code embedded}, {@code containers} or {@code auto} (the default).
 */
public enum InfrastructureMode {
    EMBEDDED,
    CONTAINERS;

    public static final String SETTING = "TEST_INFRASTRUCTURE";

    private static volatile InfrastructureMode current;

    public static InfrastructureMode current() {
        InfrastructureMode mode = current;
        if (mode == null) {
            synchronized (InfrastructureMode.class) {
                mode = current;
                if (mode == null) {
                    mode = select(requested(), InfrastructureMode::dockerAvailable);
                    Logger.getLogger(InfrastructureMode.class).infof(
                            "Test infrastructure: %s (%s=%s, Docker engine %s)", mode, SETTING, requested(),
                            mode == CONTAINERS ? "found" : "not used");
                    current = mode;
                }
            }
        }
        return mode;
    }

    /** Pure decision, so that the choice itself is testable on any machine. */
    public static InfrastructureMode select(String requested, BooleanSupplier dockerAvailable) {
        String choice = requested == null || requested.isBlank() ? "auto" : requested.trim().toLowerCase(Locale.ROOT);
        switch (choice) {
            case "embedded":
                return EMBEDDED;
            case "containers":
                if (!dockerAvailable.getAsBoolean()) {
                    throw new IllegalStateException(SETTING + "=containers, but no Docker engine is reachable");
                }
                return CONTAINERS;
            case "auto":
                return dockerAvailable.getAsBoolean() ? CONTAINERS : EMBEDDED;
            default:
                throw new IllegalArgumentException(
                        SETTING + " must be embedded, containers or auto, not '" + requested + "'");
        }
    }

    public static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    private static String requested() {
        String property = System.getProperty("test.infrastructure");
        return property != null ? property : System.getenv(SETTING);
    }
}

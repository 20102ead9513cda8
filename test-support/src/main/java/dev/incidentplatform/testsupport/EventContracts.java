package dev.incidentplatform.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * The event contracts in {@code contracts/} (JSON Schema 2020-12), for tests that check what a service produces or
 * accepts. Schemas are read from the repository, never copied, so a changed contract breaks the tests that rely on it.
 */
public final class EventContracts {

    static final String ID_PREFIX = "https://contracts.incident-platform.dev/";

    private static final Map<Path, EventContracts> BY_DIRECTORY = new ConcurrentHashMap<>();

    private final Path directory;
    private final SchemaRegistry registry;
    private final Map<String, Schema> schemas = new ConcurrentHashMap<>();

    private EventContracts(Path directory) {
        this.directory = directory;
        this.registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12, builder -> builder
                // 'format' only annotates by default in 2020-12; a contract that says uuid or date-time means it.
                .schemaRegistryConfig(SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build())
                // Contract ids are URLs; the documents behind them are the files of this directory, never fetched.
                .schemas(this::readContract));
    }

    private String readContract(String id) {
        if (!id.startsWith(ID_PREFIX)) {
            return null;
        }
        Path file = directory.resolve(id.substring(ID_PREFIX.length())).normalize();
        if (!file.startsWith(directory) || !Files.isRegularFile(file)) {
            return null;
        }
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The contracts of this repository, found by walking up from the working directory. */
    public static EventContracts fromRepository() {
        return at(findContractsDirectory(Path.of("").toAbsolutePath()));
    }

    public static EventContracts at(Path directory) {
        return BY_DIRECTORY.computeIfAbsent(directory.toAbsolutePath().normalize(), EventContracts::new);
    }

    public Path directory() {
        return directory;
    }

    /** Validation errors of a payload against {@code <type>/v<version>/schema.json}; empty when it is valid. */
    public List<String> validate(String eventType, int schemaVersion, String payloadJson) {
        List<Error> errors = schema(eventType, schemaVersion).validate(payloadJson, InputFormat.JSON);
        return errors.stream().map(error -> error.getInstanceLocation() + ": " + error.getMessage()).toList();
    }

    public List<Path> examples(String eventType, int schemaVersion, boolean valid) {
        Path folder = directory.resolve(eventType).resolve("v" + schemaVersion).resolve("examples")
                .resolve(valid ? "valid" : "invalid");
        try (Stream<Path> files = Files.list(folder)) {
            return files.filter(file -> file.toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("No examples in " + folder, e);
        }
    }

    /** Every (event type, version) that has a schema, as "type/vN". */
    public List<String> eventTypeVersions() {
        try (Stream<Path> files = Files.walk(directory, 3)) {
            return files.filter(file -> file.getFileName().toString().equals("schema.json"))
                    .map(file -> directory.relativize(file.getParent()).toString().replace('\\', '/'))
                    .filter(path -> !path.startsWith("common/"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Schema schema(String eventType, int schemaVersion) {
        return schemas.computeIfAbsent(eventType + "/v" + schemaVersion, key -> {
            Path file = directory.resolve(key).resolve("schema.json");
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("No contract for " + key + " in " + directory);
            }
            return registry.getSchema(SchemaLocation.of(ID_PREFIX + key + "/schema.json"));
        });
    }

    static Path findContractsDirectory(Path start) {
        for (Path candidate = start; candidate != null; candidate = candidate.getParent()) {
            Path contracts = candidate.resolve("contracts");
            if (Files.isDirectory(contracts.resolve("common"))) {
                return contracts;
            }
        }
        throw new IllegalStateException("No contracts/ directory above " + start);
    }
}

package dev.incidentplatform.deploy.validation;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** A Compose file as Compose reads it: anchors, aliases and merge keys resolved; environment in either of its forms. */
public final class ComposeFile {

    private final Path file;
    private final Map<String, Object> document;

    private ComposeFile(Path file, Map<String, Object> document) {
        this.file = file;
        this.document = document;
    }

    @SuppressWarnings("unchecked")
    public static ComposeFile read(Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Object document = new Yaml(new SafeConstructor(options)).load(reader);
            if (!(document instanceof Map)) {
                throw new IllegalArgumentException(file + " is not a YAML mapping");
            }
            return new ComposeFile(file, (Map<String, Object>) document);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Path file() {
        return file;
    }

    public Map<String, Object> services() {
        return map(document.get("services"), "services");
    }

    public Map<String, Object> service(String name) {
        return map(services().get(name), "services." + name);
    }

    /** The service's environment: {@code KEY: value} or {@code - KEY=value}, as Compose accepts both. */
    public Map<String, String> environment(String name) {
        Object environment = service(name).get("environment");
        Map<String, String> variables = new LinkedHashMap<>();
        if (environment instanceof Map<?, ?> entries) {
            entries.forEach((key, value) -> variables.put(String.valueOf(key), value == null ? null : String.valueOf(value)));
        } else if (environment instanceof List<?> lines) {
            for (Object line : lines) {
                String text = String.valueOf(line);
                int equals = text.indexOf('=');
                variables.put(equals < 0 ? text : text.substring(0, equals), equals < 0 ? null : text.substring(equals + 1));
            }
        } else if (environment != null) {
            throw new IllegalArgumentException("services." + name + ".environment is neither a mapping nor a list");
        }
        return variables;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object value, String where) {
        if (!(value instanceof Map)) {
            throw new IllegalArgumentException(where + " is not a mapping: " + value);
        }
        return (Map<String, Object>) value;
    }
}

package dev.incidentplatform.deploy.validation;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Every setting one packaged service reads, and whether an environment variable names one of them. Derived from the
 * service, never listed by hand: the keys of its {@code application.properties}, the config mappings and injected
 * properties of its runtime class path ({@code target/quarkus-app}: the application, {@code lib/main} and {@code lib/boot}), and the
 * Kafka client settings. Those last are Quarkus' {@code kafka.*} pass-through: the Kafka extension hands every
 * property whose name starts with {@code kafka} to the clients, lower-cased and with every character but a-z, 0-9 and
 * the dot made a dot ({@code KAFKA_SASL_JAAS_CONFIG} is {@code sasl.jaas.config}), so such a variable is known when
 * the producer, consumer or admin client of the service's own kafka-clients jar knows the setting.
 */
public final class ServiceSettings {

    private static final String KAFKA_PREFIX = "KAFKA_";
    private static final List<String> KAFKA_CONFIGS = List.of("org.apache.kafka.clients.producer.ProducerConfig",
            "org.apache.kafka.clients.consumer.ConsumerConfig", "org.apache.kafka.clients.admin.AdminClientConfig");

    private final String service;
    private final Set<String> properties;
    private final List<Pattern> envForms;
    private final Set<String> kafkaClientSettings;
    private final List<String> unreadable;

    private ServiceSettings(String service, Set<String> properties, Set<String> kafkaClientSettings, List<String> unreadable) {
        this.service = service;
        this.properties = Set.copyOf(properties);
        this.envForms = properties.stream().map(EnvNames::pattern).toList();
        this.kafkaClientSettings = Set.copyOf(kafkaClientSettings);
        this.unreadable = List.copyOf(unreadable);
    }

    /** {@code module}: the service's Maven module, packaged ({@code target/quarkus-app} exists). */
    public static ServiceSettings of(Path module) {
        Path app = module.resolve("target/quarkus-app");
        if (!Files.isDirectory(app.resolve("lib/main"))) {
            throw new IllegalStateException(app + " is missing: package the services first (./mvnw -DskipTests package)");
        }
        List<Path> jars = new ArrayList<>(jars(app.resolve("app")));
        jars.addAll(jars(app.resolve("lib/main")));
        // The boot class path (the log manager, the development-mode SPI): classes the config roots refer to.
        jars.addAll(jars(app.resolve("lib/boot")));
        Set<String> properties = new TreeSet<>(ApplicationProperties.names(module.resolve("src/main/resources/application.properties")));
        try (ClassPathSettings classPath = new ClassPathSettings(jars)) {
            properties.addAll(classPath.names());
            return new ServiceSettings(module.getFileName().toString(), properties, kafkaClientSettings(classPath.loader()),
                    classPath.unreadable());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String service() {
        return service;
    }

    /** The property names (with SmallRye's {@code *} and {@code [*]} placeholders), for messages and tests. */
    public Set<String> properties() {
        return properties;
    }

    public List<String> unreadableMappings() {
        return unreadable;
    }

    /** Whether the service reads this environment variable (SmallRye's rule, see {@link EnvNames}). */
    public boolean knows(String variable) {
        if (!EnvNames.isEnvForm(variable)) {
            return false;
        }
        if (variable.startsWith(KAFKA_PREFIX)
                && kafkaClientSettings.contains(variable.substring(KAFKA_PREFIX.length()).toLowerCase(Locale.ROOT).replace('_', '.'))) {
            return true;
        }
        return envForms.stream().anyMatch(form -> form.matcher(variable).matches());
    }

    private static Set<String> kafkaClientSettings(ClassLoader loader) {
        // Kafka's ConfigDef loads the default classes it names through the context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(loader);
        try {
            return kafkaClientSettingsOf(loader);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static Set<String> kafkaClientSettingsOf(ClassLoader loader) {
        Set<String> names = new TreeSet<>();
        for (String config : KAFKA_CONFIGS) {
            try {
                Object configNames = Class.forName(config, true, loader).getMethod("configNames").invoke(null);
                for (Object name : (Set<?>) configNames) {
                    names.add((String) name);
                }
            } catch (ClassNotFoundException e) {
                // Not a Kafka client: KAFKA_* variables are then unknown to it.
                return Set.of();
            } catch (NoSuchMethodException | IllegalAccessException | InvocationTargetException e) {
                throw new IllegalStateException("cannot read the settings of " + config, e);
            }
        }
        return names;
    }

    private static List<Path> jars(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

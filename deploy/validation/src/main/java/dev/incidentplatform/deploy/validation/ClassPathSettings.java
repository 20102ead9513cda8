package dev.incidentplatform.deploy.validation;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

import org.jboss.jandex.AnnotationInstance;
import org.jboss.jandex.AnnotationTarget;
import org.jboss.jandex.AnnotationValue;
import org.jboss.jandex.ClassInfo;
import org.jboss.jandex.DotName;
import org.jboss.jandex.Index;
import org.jboss.jandex.Indexer;

import io.smallrye.config.ConfigMappings;
import io.smallrye.config.ConfigMappings.ConfigClass;

/**
 * The settings a packaged service's class path reads, found as Quarkus finds them: every {@code @ConfigMapping}
 * interface (the extensions' config roots and the application's own, platform's included), expanded into its
 * property names by SmallRye Config itself ({@code *} for a map key, {@code [*]} for a list index), and every
 * {@code @ConfigProperty(name = …)} injection point (smallrye-jwt's {@code mp.jwt.verify.*}, the services' own).
 * Only classes that mention one of the two annotations are indexed, which keeps a 200-jar class path to seconds.
 */
final class ClassPathSettings implements AutoCloseable {

    private static final DotName CONFIG_MAPPING = DotName.createSimple("io.smallrye.config.ConfigMapping");
    private static final DotName CONFIG_PROPERTY = DotName.createSimple("org.eclipse.microprofile.config.inject.ConfigProperty");
    private static final byte[][] MARKERS = {
        "Lio/smallrye/config/ConfigMapping;".getBytes(StandardCharsets.UTF_8),
        "Lorg/eclipse/microprofile/config/inject/ConfigProperty;".getBytes(StandardCharsets.UTF_8),
    };

    private final URLClassLoader loader;
    private final Index index;
    private final List<String> unreadable = new ArrayList<>();

    ClassPathSettings(List<Path> jars) {
        this.loader = new URLClassLoader(urls(jars), ClassPathSettings.class.getClassLoader());
        this.index = index(jars);
    }

    ClassLoader loader() {
        return loader;
    }

    /** The mapping interfaces that could not be loaded or expanded (a name they hold would then be reported unknown). */
    List<String> unreadable() {
        return List.copyOf(unreadable);
    }

    Set<String> names() {
        Set<String> names = new TreeSet<>();
        for (AnnotationInstance mapping : index.getAnnotations(CONFIG_MAPPING)) {
            if (mapping.target().kind() != AnnotationTarget.Kind.CLASS) {
                continue;
            }
            ClassInfo type = mapping.target().asClass();
            AnnotationValue prefix = mapping.value("prefix");
            try {
                Class<?> klass = Class.forName(type.name().toString(), false, loader);
                names.addAll(ConfigMappings.getProperties(new ConfigClass(klass, prefix == null ? "" : prefix.asString())).keySet());
            } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                unreadable.add(type.name() + ": " + describe(e));
            }
        }
        for (AnnotationInstance property : index.getAnnotations(CONFIG_PROPERTY)) {
            AnnotationValue name = property.value("name");
            if (name != null && !name.asString().isEmpty()) {
                names.add(name.asString());
            }
        }
        return names;
    }

    private static String describe(Throwable e) {
        StringBuilder causes = new StringBuilder();
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            causes.append(causes.length() == 0 ? "" : ", caused by ").append(cause);
        }
        return causes.toString();
    }

    private static Index index(List<Path> jars) {
        Indexer indexer = new Indexer();
        for (Path jar : jars) {
            try (JarFile file = new JarFile(jar.toFile())) {
                Enumeration<JarEntry> entries = file.entries();
                while (entries.hasMoreElements()) {
                    JarEntry entry = entries.nextElement();
                    if (!entry.getName().endsWith(".class") || entry.getName().startsWith("META-INF/versions/")) {
                        continue;
                    }
                    byte[] bytes;
                    try (InputStream in = file.getInputStream(entry)) {
                        bytes = in.readAllBytes();
                    }
                    if (mentionsAnnotation(bytes)) {
                        indexer.index(new ByteArrayInputStream(bytes));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + jar, e);
            }
        }
        return indexer.complete();
    }

    private static boolean mentionsAnnotation(byte[] bytes) {
        for (byte[] marker : MARKERS) {
            if (indexOf(bytes, marker) >= 0) {
                return true;
            }
        }
        return false;
    }

    private static int indexOf(byte[] bytes, byte[] marker) {
        outer:
        for (int i = 0; i <= bytes.length - marker.length; i++) {
            for (int j = 0; j < marker.length; j++) {
                if (bytes[i + j] != marker[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static URL[] urls(List<Path> jars) {
        List<URL> urls = new ArrayList<>();
        for (Path jar : jars) {
            try {
                urls.add(jar.toUri().toURL());
            } catch (MalformedURLException e) {
                throw new IllegalArgumentException(jar.toString(), e);
            }
        }
        return urls.toArray(URL[]::new);
    }

    @Override
    public void close() throws IOException {
        loader.close();
    }
}

package dev.incidentplatform.deploy.validation;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The setting names a service's {@code application.properties} declares: its keys, without profile prefixes
 * ({@code %prod.mp.jwt.verify.publickey.location} is {@code mp.jwt.verify.publickey.location}), and the names its
 * values read through expressions ({@code ${JWT_PUBLIC_KEY_LOCATION:…}} reads {@code JWT_PUBLIC_KEY_LOCATION}).
 */
final class ApplicationProperties {

    private static final Pattern EXPRESSION = Pattern.compile("\\$\\{([^:}$]+)");

    private ApplicationProperties() {
    }

    static Set<String> names(Path file) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + file, e);
        }
        Set<String> names = new TreeSet<>();
        properties.forEach((key, value) -> {
            names.add(withoutProfile((String) key));
            Matcher expression = EXPRESSION.matcher((String) value);
            while (expression.find()) {
                names.add(expression.group(1));
            }
        });
        return names;
    }

    static String withoutProfile(String key) {
        if (key.startsWith("%")) {
            int dot = key.indexOf('.');
            return dot < 0 ? key : key.substring(dot + 1);
        }
        return key;
    }
}

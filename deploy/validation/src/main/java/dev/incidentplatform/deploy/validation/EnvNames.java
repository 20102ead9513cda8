package dev.incidentplatform.deploy.validation;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * SmallRye Config's rule for reading a property from the environment: the property name upper-cased, with every
 * character other than A-Z and 0-9 replaced by {@code _} ({@code quarkus.datasource.jdbc.url} is
 * {@code QUARKUS_DATASOURCE_JDBC_URL}, {@code quarkus.log.category."org.acme".level} is
 * {@code QUARKUS_LOG_CATEGORY__ORG_ACME__LEVEL}).
 */
public final class EnvNames {

    private EnvNames() {
    }

    public static String of(String property) {
        StringBuilder env = new StringBuilder(property.length());
        for (char c : property.toCharArray()) {
            env.append(isAlphanumeric(c) ? Character.toUpperCase(c) : '_');
        }
        return env.toString();
    }

    /**
     * The environment form of a property name that may hold SmallRye's placeholders: a segment {@code *} is a map key
     * (any name: one or more characters of an environment name), {@code [*]} a list index ({@code _0_}, {@code _12_}).
     */
    public static Pattern pattern(String property) {
        StringBuilder regex = new StringBuilder();
        int i = 0;
        while (i < property.length()) {
            if (property.startsWith("[*]", i)) {
                regex.append("_[0-9]+_");
                i += 3;
            } else if (property.charAt(i) == '*' && atSegmentStart(property, i) && atSegmentEnd(property, i + 1)) {
                regex.append("[A-Z0-9_]+");
                i++;
            } else {
                char c = property.charAt(i);
                regex.append(isAlphanumeric(c) ? String.valueOf(Character.toUpperCase(c)) : "_");
                i++;
            }
        }
        return Pattern.compile(regex.toString());
    }

    private static boolean atSegmentStart(String name, int i) {
        return i == 0 || name.charAt(i - 1) == '.';
    }

    private static boolean atSegmentEnd(String name, int i) {
        return i == name.length() || name.charAt(i) == '.' || name.charAt(i) == '[';
    }

    private static boolean isAlphanumeric(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
    }

    /** Whether a variable is in the environment form at all (upper case, digits and underscores). */
    public static boolean isEnvForm(String variable) {
        return !variable.isEmpty() && variable.equals(variable.toUpperCase(Locale.ROOT)) && variable.matches("[A-Z0-9_]+");
    }
}

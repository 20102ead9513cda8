package dev.incidentplatform.testsupport;

import java.net.URI;
import java.util.HashMap;
import java.util.Map;

/** A server that is already running, named by {@value PostgresServer#EXTERNAL_URL_SETTING}. */
final class ExternalPostgresServer extends PostgresServer {

    private final String adminJdbcUrl;
    private final String username;
    private final String password;

    ExternalPostgresServer(String adminJdbcUrl) {
        if (!adminJdbcUrl.startsWith("jdbc:postgresql://")) {
            throw new IllegalArgumentException(EXTERNAL_URL_SETTING + " must be a jdbc:postgresql:// URL, not " + adminJdbcUrl);
        }
        Map<String, String> parameters = parameters(adminJdbcUrl);
        this.adminJdbcUrl = adminJdbcUrl;
        this.username = parameters.getOrDefault("user", System.getProperty("user.name"));
        this.password = parameters.getOrDefault("password", "");
    }

    private static Map<String, String> parameters(String jdbcUrl) {
        Map<String, String> parameters = new HashMap<>();
        String query = URI.create(jdbcUrl.substring("jdbc:".length())).getRawQuery();
        if (query != null) {
            for (String pair : query.split("&")) {
                int equals = pair.indexOf('=');
                if (equals > 0) {
                    parameters.put(pair.substring(0, equals), pair.substring(equals + 1));
                }
            }
        }
        return parameters;
    }

    @Override
    protected String adminJdbcUrl() {
        return adminJdbcUrl;
    }

    @Override
    public String username() {
        return username;
    }

    @Override
    public String password() {
        return password;
    }

    @Override
    public void close() {
        // Not ours to stop.
    }
}

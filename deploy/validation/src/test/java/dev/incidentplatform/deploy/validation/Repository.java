package dev.incidentplatform.deploy.validation;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The repository the tests run in (found from the working directory, which Maven sets to this module), and the services' settings, read once per test JVM. */
final class Repository {

    static final Path ROOT = root();
    private static final Map<String, ServiceSettings> SETTINGS = new ConcurrentHashMap<>();

    private Repository() {
    }

    static Path path(String relative) {
        return ROOT.resolve(relative);
    }

    static ServiceSettings settings(String service) {
        return SETTINGS.computeIfAbsent(service, name -> ServiceSettings.of(ROOT.resolve(name)));
    }

    private static Path root() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.isDirectory(dir.resolve("deploy/compose"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("not inside the repository: " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}

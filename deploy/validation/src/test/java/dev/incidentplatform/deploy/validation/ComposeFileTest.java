package dev.incidentplatform.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComposeFileTest {

    private static final Path COMPOSE = Repository.path("deploy/compose/compose.yaml");
    private static final List<String> SERVICES = List.of("incident-service", "notification-service", "compensation-service");
    private static final List<String> CONSUMERS = List.of("notification-service", "compensation-service");

    private final ComposeFile compose = ComposeFile.read(COMPOSE);

    @ParameterizedTest
    @ValueSource(strings = {"incident-service", "notification-service", "compensation-service"})
    void everyVariableOfAServiceNamesASettingTheServiceReads(String service) {
        Map<String, String> environment = compose.environment(service);
        assertThat(environment).containsKeys("QUARKUS_DATASOURCE_JDBC_URL", "KAFKA_BOOTSTRAP_SERVERS");
        assertThat(UnknownSettings.in(environment.keySet(), Repository.settings(service))).isEmpty();
    }

    @Test
    void aMisspeltVariableIsCaught(@TempDir Path dir) throws IOException {
        String text = Files.readString(COMPOSE, StandardCharsets.UTF_8);
        String misspelt = text.replace("QUARKUS_DATASOURCE_JDBC_URL: jdbc:postgresql://postgres:5432/incident",
                "QUARKUS_DATASOURCE_JDBC_UR: jdbc:postgresql://postgres:5432/incident");
        assertThat(misspelt).isNotEqualTo(text);
        Path copy = dir.resolve("compose.yaml");
        Files.writeString(copy, misspelt, StandardCharsets.UTF_8);

        Map<String, String> environment = ComposeFile.read(copy).environment("incident-service");
        assertThat(UnknownSettings.in(environment.keySet(), Repository.settings("incident-service")))
                .containsExactly("QUARKUS_DATASOURCE_JDBC_UR");
    }

    @Test
    void aSettingOfAnotherServiceIsNotTakenForOneOfThisOne() {
        Map<String, String> environment = compose.environment("notification-service");
        assertThat(environment).containsKey("NOTIFICATION_UNSUBSCRIBE_KEY");
        assertThat(UnknownSettings.in(environment.keySet(), Repository.settings("compensation-service")))
                .contains("NOTIFICATION_UNSUBSCRIBE_KEY", "NOTIFICATION_WEBHOOKS_ENCRYPTION_KEY", "QUARKUS_MAILER_HOST");
    }

    @Test
    void theConsumersRunTwoReplicasAndTheirHostPortsDoNotCollide() {
        for (String consumer : CONSUMERS) {
            assertThat(ComposeFile.map(compose.service(consumer).get("deploy"), consumer + ".deploy"))
                    .as(consumer).containsEntry("replicas", 2);
        }
        List<Integer> hostPorts = new ArrayList<>();
        compose.services().keySet().forEach(name -> hostPorts.addAll(hostPorts(name)));
        assertThat(hostPorts).doesNotHaveDuplicates();
        for (String consumer : CONSUMERS) {
            // Each replica binds one port of its range: the range must hold them all.
            assertThat(hostPorts(consumer)).as(consumer).hasSize(2);
        }
    }

    @Test
    void servicesStartOnlyOnHealthyInfrastructureAndTheTopicsAndAreCheckedHealthyThemselves() {
        for (String service : SERVICES) {
            Map<String, Object> dependsOn = ComposeFile.map(compose.service(service).get("depends_on"), service + ".depends_on");
            assertThat(condition(dependsOn, "postgres")).as(service).isEqualTo("service_healthy");
            assertThat(condition(dependsOn, "kafka")).as(service).isEqualTo("service_healthy");
            assertThat(condition(dependsOn, "kafka-topics")).as(service).isEqualTo("service_completed_successfully");
            String check = String.join(" ", strings(ComposeFile.map(compose.service(service).get("healthcheck"), service).get("test")));
            assertThat(check).as(service).contains("/q/health/%s", "ready live",
                    "/dev/tcp/127.0.0.1/" + containerPort(service));
        }
        assertThat(condition(ComposeFile.map(compose.service("notification-service").get("depends_on"), "depends_on"), "mailpit"))
                .isEqualTo("service_healthy");
        for (String infrastructure : List.of("kafka", "postgres", "mailpit")) {
            assertThat(compose.service(infrastructure)).as(infrastructure).containsKey("healthcheck");
        }
    }

    @Test
    void theInfrastructureIsTheOneTheBriefNamesAndTheTopicsComeFromTheLocalRunsList() {
        assertThat(compose.service("kafka")).containsEntry("image", "apache/kafka:4.1.2");
        assertThat(compose.service("kafka-topics")).containsEntry("image", "apache/kafka:4.1.2");
        assertThat((String) compose.service("postgres").get("image")).startsWith("postgres:15");
        assertThat(strings(compose.service("kafka-topics").get("volumes"))).anySatisfy(volume -> {
            String host = volume.substring(0, volume.indexOf(':'));
            assertThat(COMPOSE.getParent().resolve(host).normalize()).isEqualTo(Repository.path("deploy/local/topics"));
        });
    }

    @Test
    void eachServiceIsBuiltFromItsFastJarByADockerfileThatRunsAsNoRoot() throws IOException {
        for (String service : SERVICES) {
            Map<String, Object> build = ComposeFile.map(compose.service(service).get("build"), service + ".build");
            Path context = COMPOSE.getParent().resolve((String) build.get("context")).normalize();
            assertThat(context).isEqualTo(Repository.path(service + "/target/quarkus-app"));
            Path dockerfile = context.resolve((String) build.get("dockerfile")).normalize();
            assertThat(dockerfile).isEqualTo(Repository.path("deploy/compose/" + service + ".Dockerfile"));
            List<String> lines = Files.readAllLines(dockerfile, StandardCharsets.UTF_8);
            List<String> users = lines.stream().filter(line -> line.startsWith("USER ")).toList();
            assertThat(users).as(service).isNotEmpty();
            assertThat(users.get(users.size() - 1)).as(service).isNotIn("USER root", "USER 0");
            assertThat(lines).as(service).contains("COPY quarkus-run.jar ./", "EXPOSE " + containerPort(service));
            // Every directory the fast jar needs at run time is copied from the context (which the build made).
            for (String part : List.of("lib/", "app/", "quarkus/")) {
                assertThat(lines).as(service).contains("COPY " + part + " " + part);
                assertThat(context.resolve(part)).isDirectory();
            }
        }
    }

    @Test
    void thePublicKeyTheServicesVerifyWithIsTheOnePrepareWritesMountedReadOnly() {
        for (String service : SERVICES) {
            String location = compose.environment(service).get("MP_JWT_VERIFY_PUBLICKEY_LOCATION");
            assertThat(strings(compose.service(service).get("volumes"))).as(service).anySatisfy(volume -> {
                String[] parts = volume.split(":");
                assertThat(COMPOSE.getParent().resolve(parts[0]).normalize())
                        .isEqualTo(Repository.path("deploy/compose/.secrets/jwt/public-key.pem"));
                assertThat(parts[1]).isEqualTo(location);
                assertThat(parts).hasSize(3);
                assertThat(parts[2]).isEqualTo("ro");
            });
        }
    }

    private static String condition(Map<String, Object> dependsOn, String dependency) {
        return (String) ComposeFile.map(dependsOn.get(dependency), "depends_on." + dependency).get("condition");
    }

    private List<Integer> hostPorts(String service) {
        List<Integer> ports = new ArrayList<>();
        for (String mapping : strings(compose.service(service).get("ports"))) {
            String[] parts = mapping.split(":");
            // [ip:]host[-host]:container; an empty host part is an ephemeral port, which cannot collide.
            String host = parts.length == 3 ? parts[1] : parts.length == 2 ? parts[0] : "";
            if (host.isEmpty()) {
                continue;
            }
            String[] range = host.split("-");
            for (int port = Integer.parseInt(range[0]); port <= Integer.parseInt(range[range.length - 1]); port++) {
                ports.add(port);
            }
        }
        return ports;
    }

    private static int containerPort(String service) {
        return switch (service) {
            case "incident-service" -> 8081;
            case "notification-service" -> 8082;
            case "compensation-service" -> 8083;
            default -> throw new IllegalArgumentException(service);
        };
    }

    private static List<String> strings(Object list) {
        if (list == null) {
            return List.of();
        }
        return ((List<?>) list).stream().map(String::valueOf).toList();
    }
}

package dev.incidentplatform.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.fabric8.kubernetes.api.model.Quantity;

class KubernetesOverlaysTest {

    private static final List<String> SERVICES = List.of("incident-service", "notification-service", "compensation-service");
    /** notification-service's peak RSS at a 100 000-recipient fan-out with -Xmx256m (README: sizing). */
    private static final BigDecimal MEASURED_RSS = BigDecimal.valueOf(350L * 1000 * 1000);
    private static final Set<String> PUBLIC_PATHS = Set.of("/unsubscribe", "/feeds", "/status");

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyRenderedManifestBindsToItsApiModel(String overlay) {
        List<JsonNode> manifests = Overlay.of(overlay).manifests();
        assertThat(manifests).hasSizeGreaterThan(30);
        List<String> violations = new ArrayList<>();
        manifests.forEach(manifest -> violations.addAll(ManifestModels.violations(manifest)));
        assertThat(violations).isEmpty();
    }

    @Test
    void aRenderedManifestWithAnUnknownFieldOrAWrongTypeFails() {
        JsonNode deployment = Overlay.of("production").named("Deployment", "notification-service").deepCopy();
        ObjectNode container = (ObjectNode) deployment.path("spec").path("template").path("spec").path("containers").get(0);
        container.with("readinessProbe").put("periodSecond", 5);
        assertThat(ManifestModels.violations(deployment)).singleElement().asString().contains("periodSecond");

        JsonNode topic = Overlay.of("production").named("KafkaTopic", "incident-events").deepCopy();
        ((ObjectNode) topic.path("spec")).put("partitions", "6");
        assertThat(ManifestModels.violations(topic)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyDeploymentHasTheThreeProbesOnItsHealthEndpointsAndResourceLimits(String overlay) {
        List<JsonNode> deployments = Overlay.of(overlay).ofKind("Deployment");
        assertThat(deployments).extracting(Overlay::name).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode deployment : deployments) {
            JsonNode containers = deployment.path("spec").path("template").path("spec").path("containers");
            assertThat(containers).as(Overlay.name(deployment)).hasSize(1);
            JsonNode container = containers.get(0);
            String port = container.path("ports").get(0).path("name").asText();
            assertThat(probe(container, "startupProbe", port)).isEqualTo("/q/health/started");
            assertThat(probe(container, "readinessProbe", port)).isEqualTo("/q/health/ready");
            assertThat(probe(container, "livenessProbe", port)).isEqualTo("/q/health/live");

            JsonNode resources = container.path("resources");
            for (String resource : List.of("cpu", "memory")) {
                assertThat(resources.path("requests").has(resource)).as(Overlay.name(deployment) + " requests " + resource).isTrue();
                assertThat(resources.path("limits").has(resource)).as(Overlay.name(deployment) + " limits " + resource).isTrue();
            }
            BigDecimal requested = bytes(resources.path("requests").path("memory"));
            BigDecimal limit = bytes(resources.path("limits").path("memory"));
            // Requested at least what it was measured to use, and room above it before the OOM killer.
            assertThat(requested).as(Overlay.name(deployment)).isGreaterThanOrEqualTo(MEASURED_RSS);
            assertThat(limit).as(Overlay.name(deployment)).isGreaterThan(requested);
            assertThat(container.path("securityContext").path("readOnlyRootFilesystem").asBoolean()).isTrue();
            assertThat(deployment.path("spec").path("template").path("spec").path("securityContext").path("runAsNonRoot").asBoolean())
                    .isTrue();
        }
    }

    @Test
    void devRunsOneReplicaAndProductionAtLeastTwoWithTheNotificationAutoscalerWithinThePartitions() {
        Overlay.of("dev").ofKind("Deployment").forEach(deployment ->
                assertThat(deployment.path("spec").path("replicas").asInt()).as(Overlay.name(deployment)).isEqualTo(1));
        Overlay.of("production").ofKind("Deployment").forEach(deployment ->
                assertThat(deployment.path("spec").path("replicas").asInt()).as(Overlay.name(deployment)).isGreaterThanOrEqualTo(2));

        JsonNode autoscaler = Overlay.of("production").named("HorizontalPodAutoscaler", "notification-service");
        assertThat(autoscaler.path("spec").path("scaleTargetRef").path("kind").asText()).isEqualTo("Deployment");
        assertThat(autoscaler.path("spec").path("scaleTargetRef").path("name").asText()).isEqualTo("notification-service");
        assertThat(autoscaler.path("spec").path("minReplicas").asInt()).isGreaterThanOrEqualTo(2);
        // A consumer beyond the partition count of the topics it reads would get no partition.
        int partitions = Math.min(partitions("production", "incident-events"), partitions("production", "credit-events"));
        assertThat(autoscaler.path("spec").path("maxReplicas").asInt()).isLessThanOrEqualTo(partitions);
        assertThat(autoscaler.path("spec").path("metrics").findValuesAsText("name")).contains("cpu");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void eachDisruptionBudgetSelectsExactlyItsDeployment(String overlay) {
        Overlay rendered = Overlay.of(overlay);
        List<JsonNode> budgets = rendered.ofKind("PodDisruptionBudget");
        assertThat(budgets).extracting(Overlay::name).containsExactlyInAnyOrderElementsOf(SERVICES);
        for (JsonNode budget : budgets) {
            assertThat(selected(rendered, budget.path("spec").path("selector"))).as(Overlay.name(budget))
                    .containsExactly(Overlay.name(budget));
            // maxUnavailable 1: with one replica (dev) a node drain still proceeds.
            assertThat(budget.path("spec").path("maxUnavailable").asInt()).isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyVariableOfADeploymentAndOfItsConfigMapNamesASettingTheServiceReads(String overlay) {
        Overlay rendered = Overlay.of(overlay);
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            Set<String> variables = variables(rendered, deployment);
            assertThat(variables).as(Overlay.name(deployment))
                    .contains("QUARKUS_DATASOURCE_JDBC_URL", "QUARKUS_DATASOURCE_PASSWORD", "KAFKA_BOOTSTRAP_SERVERS",
                            "KAFKA_SECURITY_PROTOCOL", "KAFKA_SASL_MECHANISM", "KAFKA_SASL_JAAS_CONFIG",
                            "KAFKA_SSL_TRUSTSTORE_LOCATION", "MP_JWT_VERIFY_PUBLICKEY_LOCATION");
            assertThat(UnknownSettings.in(variables, Repository.settings(Overlay.name(deployment)))).as(Overlay.name(deployment))
                    .isEmpty();
        }
    }

    @Test
    void aMisspeltKeyInAConfigMapIsCaught() {
        Overlay rendered = Overlay.of("production");
        JsonNode configMap = rendered.named("ConfigMap", "notification-service-config").deepCopy();
        ((ObjectNode) configMap.path("data")).put("NOTIFICATION_FEEDS_MAX_ENTRYS", "20");
        Set<String> keys = new TreeSet<>();
        configMap.path("data").fieldNames().forEachRemaining(keys::add);
        assertThat(UnknownSettings.in(keys, Repository.settings("notification-service"))).containsExactly("NOTIFICATION_FEEDS_MAX_ENTRYS");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theServicesSpeakScramOverTlsWithTheSecretsStrimziWritesForTheirOwnUsers(String overlay) {
        Overlay rendered = Overlay.of(overlay);
        Set<String> users = new HashSet<>();
        rendered.ofKind("KafkaUser").forEach(user -> {
            users.add(Overlay.name(user));
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("scram-sha-512");
            assertThat(user.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("incident-platform");
        });
        Set<String> secrets = new HashSet<>();
        rendered.ofKind("Secret").forEach(secret -> secrets.add(Overlay.name(secret)));
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            String service = Overlay.name(deployment);
            Map<String, String> config = Overlay.strings(rendered.named("ConfigMap", service + "-config").path("data"));
            assertThat(config).containsEntry("KAFKA_SECURITY_PROTOCOL", "SASL_SSL").containsEntry("KAFKA_SASL_MECHANISM", "SCRAM-SHA-512")
                    .containsEntry("KAFKA_BOOTSTRAP_SERVERS", "incident-platform-kafka-bootstrap:9093");
            Map<String, JsonNode> references = secretReferences(deployment);
            assertThat(references.get("KAFKA_SASL_JAAS_CONFIG").path("name").asText()).isEqualTo(service);
            assertThat(references.get("KAFKA_SASL_JAAS_CONFIG").path("key").asText()).isEqualTo("sasl.jaas.config");
            assertThat(users).contains(service);
            // Every other Secret it reads is rendered here, or written by Strimzi (its user's, the cluster CA's).
            references.values().forEach(reference -> assertThat(reference.path("name").asText())
                    .isIn(union(secrets, Set.of(service, "incident-platform-cluster-ca-cert"))));
        }
    }

    @Test
    void theKafkaClusterIsKraftOnNodePoolsAndProductionKeepsThreeReplicasTwoInSync() {
        for (String overlay : List.of("dev", "production")) {
            JsonNode kafka = Overlay.of(overlay).named("Kafka", "incident-platform");
            assertThat(Overlay.strings(kafka.path("metadata").path("annotations")))
                    .containsEntry("strimzi.io/kraft", "enabled").containsEntry("strimzi.io/node-pools", "enabled");
            assertThat(Overlay.of(overlay).ofKind("KafkaNodePool")).isNotEmpty();
        }
        JsonNode config = Overlay.of("production").named("Kafka", "incident-platform").path("spec").path("kafka").path("config");
        assertThat(config.path("min.insync.replicas").asInt()).isEqualTo(2);
        assertThat(config.path("default.replication.factor").asInt()).isEqualTo(3);
        assertThat(config.path("transaction.state.log.min.isr").asInt()).isEqualTo(2);
        Map<String, Integer> roles = new LinkedHashMap<>();
        Overlay.of("production").ofKind("KafkaNodePool").forEach(pool -> pool.path("spec").path("roles")
                .forEach(role -> roles.merge(role.asText(), pool.path("spec").path("replicas").asInt(), Integer::sum)));
        assertThat(roles).containsEntry("controller", 3).containsEntry("broker", 3);
    }

    @Test
    void theTopicsAreTheLocalRunsListWithProductionReplicationThreeTwoInSyncAndDevOne() throws IOException {
        Map<String, Integer> listed = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Repository.path("deploy/local/topics"))) {
            String[] fields = line.strip().split("\\s+");
            if (!line.isBlank() && !line.strip().startsWith("#")) {
                listed.put(fields[0], Integer.valueOf(fields[1]));
            }
        }
        assertThat(listed).isNotEmpty();
        for (String overlay : List.of("dev", "production")) {
            Map<String, Integer> rendered = new LinkedHashMap<>();
            for (JsonNode topic : Overlay.of(overlay).ofKind("KafkaTopic")) {
                String name = topic.path("spec").path("topicName").asText(Overlay.name(topic));
                rendered.put(name, topic.path("spec").path("partitions").asInt());
                int replicas = overlay.equals("production") ? 3 : 1;
                int inSync = overlay.equals("production") ? 2 : 1;
                assertThat(topic.path("spec").path("replicas").asInt()).as(overlay + " " + name).isEqualTo(replicas);
                assertThat(topic.path("spec").path("config").path("min.insync.replicas").asInt()).as(overlay + " " + name)
                        .isEqualTo(inSync);
            }
            assertThat(rendered).as(overlay).isEqualTo(listed);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theAclsOfEachUserNameOnlyTopicsThatExistAndItsOwnConsumerGroup(String overlay) {
        Overlay rendered = Overlay.of(overlay);
        Set<String> topics = new HashSet<>();
        rendered.ofKind("KafkaTopic").forEach(topic -> topics.add(Overlay.name(topic)));
        for (JsonNode user : rendered.ofKind("KafkaUser")) {
            for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
                JsonNode resource = acl.path("resource");
                switch (resource.path("type").asText()) {
                    case "topic" -> assertThat(resource.path("name").asText()).as(Overlay.name(user)).isIn(topics);
                    case "group" -> assertThat(resource.path("name").asText()).isEqualTo(Overlay.name(user));
                    case "transactionalId" -> assertThat(resource.path("patternType").asText()).isEqualTo("prefix");
                    default -> throw new AssertionError(Overlay.name(user) + ": an ACL on " + resource);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void eachServiceAloneReachesItsDatabaseAndOnlyNotificationServiceIsPublic(String overlay) {
        Overlay rendered = Overlay.of(overlay);
        List<JsonNode> policies = rendered.ofKind("NetworkPolicy");
        // Everything not allowed is denied, for every pod of the platform.
        JsonNode denyAll = rendered.named("NetworkPolicy", "default-deny");
        assertThat(selected(rendered, denyAll.path("spec").path("podSelector"))).containsExactlyInAnyOrderElementsOf(SERVICES);
        assertThat(denyAll.path("spec").has("ingress") || denyAll.path("spec").has("egress")).isFalse();

        Map<String, Set<String>> databaseAddresses = new LinkedHashMap<>();
        for (String service : SERVICES) {
            JsonNode policy = rendered.named("NetworkPolicy", service + "-database");
            assertThat(selected(rendered, policy.path("spec").path("podSelector"))).as(policy.toString()).containsExactly(service);
            // What every policy selecting the service lets it reach on PostgreSQL's port: its database and nothing else.
            Set<String> reachable = new TreeSet<>();
            for (JsonNode any : policies) {
                if (selected(rendered, any.path("spec").path("podSelector")).contains(service)) {
                    reachable.addAll(egressTo(any, 5432));
                }
            }
            assertThat(reachable).as(service).isEqualTo(egressTo(policy, 5432)).hasSize(1);
            databaseAddresses.put(service, reachable);
        }
        assertThat(new HashSet<>(databaseAddresses.values())).as("one database address per service").hasSize(SERVICES.size());

        // The ingress controller's namespace is admitted to notification-service, and to no other service.
        for (JsonNode policy : policies) {
            boolean fromIngressController = policy.path("spec").path("ingress").findValues("namespaceSelector").stream()
                    .anyMatch(selector -> selector.path("matchLabels").path("kubernetes.io/metadata.name").asText().equals("ingress-nginx"));
            if (fromIngressController) {
                assertThat(selected(rendered, policy.path("spec").path("podSelector"))).as(Overlay.name(policy))
                        .containsExactly("notification-service");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void aNetworkPolicyLabelledForOneServiceSelectsThatServiceAloneAndAnUnlabelledOneSelectsThemAll(String overlay) {
        Overlay rendered = Overlay.of(overlay);
        for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
            String claimed = policy.path("metadata").path("labels").path("app.kubernetes.io/name").asText(null);
            List<String> selected = selected(rendered, policy.path("spec").path("podSelector"));
            if (claimed == null) {
                assertThat(selected).as(Overlay.name(policy)).containsExactlyInAnyOrderElementsOf(SERVICES);
            } else {
                assertThat(selected).as(Overlay.name(policy)).containsExactly(claimed);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theFilesTheSettingsNameAreMountedFromSecretsThatHoldThem(String overlay) {
        Overlay rendered = Overlay.of(overlay);
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            String service = Overlay.name(deployment);
            Map<String, String> config = Overlay.strings(rendered.named("ConfigMap", service + "-config").path("data"));
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            for (String variable : List.of("MP_JWT_VERIFY_PUBLICKEY_LOCATION", "KAFKA_SSL_TRUSTSTORE_LOCATION")) {
                String file = config.get(variable);
                assertThat(file).as(service + " " + variable).isNotNull();
                JsonNode mount = null;
                for (JsonNode candidate : pod.path("containers").get(0).path("volumeMounts")) {
                    if (file.startsWith(candidate.path("mountPath").asText() + "/")) {
                        mount = candidate;
                    }
                }
                assertThat(mount).as(service + ": no volume mounted where " + variable + " points: " + file).isNotNull();
                String fileName = file.substring(mount.path("mountPath").asText().length() + 1);
                String volumeName = mount.path("name").asText();
                JsonNode volume = null;
                for (JsonNode candidate : pod.path("volumes")) {
                    if (candidate.path("name").asText().equals(volumeName)) {
                        volume = candidate;
                    }
                }
                assertThat(volume).as(service + " volume " + volumeName).isNotNull();
                JsonNode secret = volume.path("secret");
                assertThat(secret.isMissingNode()).as(service + " volume " + volumeName + " is a Secret").isFalse();
                if (secret.has("items")) {
                    assertThat(secret.path("items").findValuesAsText("path")).as(service + " " + variable).contains(fileName);
                } else {
                    Set<String> keys = new TreeSet<>();
                    rendered.named("Secret", secret.path("secretName").asText()).path("stringData").fieldNames()
                            .forEachRemaining(keys::add);
                    assertThat(keys).as(service + " " + variable).contains(fileName);
                }
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theIngressRoutesOnlyThePublicPathsToNotificationService(String overlay) {
        List<JsonNode> ingresses = Overlay.of(overlay).ofKind("Ingress");
        assertThat(ingresses).hasSize(1);
        Set<String> paths = new TreeSet<>();
        for (JsonNode rule : ingresses.get(0).path("spec").path("rules")) {
            for (JsonNode path : rule.path("http").path("paths")) {
                paths.add(path.path("path").asText());
                assertThat(path.path("backend").path("service").path("name").asText()).isEqualTo("notification-service");
            }
        }
        assertThat(ingresses.get(0).path("spec").has("defaultBackend")).isFalse();
        assertThat(paths).isEqualTo(PUBLIC_PATHS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theSecretTemplatesHoldOnlyPlaceholders(String overlay) {
        for (JsonNode secret : Overlay.of(overlay).ofKind("Secret")) {
            secret.path("stringData").fields().forEachRemaining(field -> {
                if (!field.getKey().equals("username")) {
                    assertThat(field.getValue().asText()).as(Overlay.name(secret) + "." + field.getKey()).startsWith("REPLACE-ME");
                }
            });
            assertThat(secret.has("data")).as(Overlay.name(secret)).isFalse();
        }
    }

    private static String probe(JsonNode container, String probe, String port) {
        JsonNode get = container.path(probe).path("httpGet");
        assertThat(get.path("port").asText()).as(probe).isEqualTo(port);
        return get.path("path").asText();
    }

    private static BigDecimal bytes(JsonNode quantity) {
        return Quantity.getAmountInBytes(new Quantity(quantity.asText()));
    }

    private static int partitions(String overlay, String topic) {
        return Overlay.of(overlay).named("KafkaTopic", topic).path("spec").path("partitions").asInt();
    }

    private static List<String> selected(Overlay rendered, JsonNode selector) {
        return rendered.ofKind("Deployment").stream().filter(deployment -> Overlay.selects(selector, Overlay.podLabels(deployment)))
                .map(Overlay::name).toList();
    }

    private static Set<String> variables(Overlay rendered, JsonNode deployment) {
        Set<String> variables = new TreeSet<>();
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        container.path("env").forEach(variable -> variables.add(variable.path("name").asText()));
        for (JsonNode source : container.path("envFrom")) {
            assertThat(source.has("configMapRef")).as("envFrom of " + Overlay.name(deployment)).isTrue();
            rendered.named("ConfigMap", source.path("configMapRef").path("name").asText()).path("data").fieldNames()
                    .forEachRemaining(variables::add);
        }
        return variables;
    }

    private static Map<String, JsonNode> secretReferences(JsonNode deployment) {
        Map<String, JsonNode> references = new LinkedHashMap<>();
        deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env").forEach(variable -> {
            if (variable.path("valueFrom").has("secretKeyRef")) {
                references.put(variable.path("name").asText(), variable.path("valueFrom").path("secretKeyRef"));
            }
        });
        return references;
    }

    /** The ipBlock addresses a policy's egress rules allow on this port. */
    private static Set<String> egressTo(JsonNode policy, int port) {
        Set<String> addresses = new TreeSet<>();
        for (JsonNode rule : policy.path("spec").path("egress")) {
            boolean onPort = !rule.has("ports");
            for (JsonNode allowed : rule.path("ports")) {
                onPort |= allowed.path("port").asInt() == port;
            }
            if (onPort) {
                rule.path("to").forEach(peer -> addresses.add(peer.has("ipBlock") ? peer.path("ipBlock").path("cidr").asText()
                        : "selector " + peer));
            }
        }
        return addresses;
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> union = new HashSet<>(a);
        union.addAll(b);
        return union;
    }
}

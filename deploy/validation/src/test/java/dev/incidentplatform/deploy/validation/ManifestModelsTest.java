package dev.incidentplatform.deploy.validation;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

class ManifestModelsTest {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec:
                  containers:
                    - name: web
                      image: nginx
                      ports: [{containerPort: 8080}]
                      resources: {limits: {memory: 512Mi}}
            """;

    private static final String TOPIC = """
            apiVersion: kafka.strimzi.io/v1
            kind: KafkaTopic
            metadata: {name: events, labels: {strimzi.io/cluster: c}}
            spec:
              partitions: 6
              replicas: 3
              config: {min.insync.replicas: 2}
            """;

    @Test
    void wellFormedManifestsBind() throws Exception {
        assertThat(ManifestModels.violations(yaml(DEPLOYMENT))).isEmpty();
        assertThat(ManifestModels.violations(yaml(TOPIC))).isEmpty();
    }

    @Test
    void anUnknownFieldFails() throws Exception {
        assertThat(ManifestModels.violations(yaml(DEPLOYMENT.replace("image: nginx", "image: nginx\n          imagePullPolicyy: Always"))))
                .singleElement().asString().contains("imagePullPolicyy");
        // A field of the right name at the wrong level is unknown there.
        assertThat(ManifestModels.violations(yaml(DEPLOYMENT.replace("  replicas: 2", "  replicas: 2\n  image: nginx"))))
                .singleElement().asString().contains("image");
        assertThat(ManifestModels.violations(yaml(TOPIC.replace("replicas: 3", "replica: 3")))).singleElement().asString()
                .contains("replica");
    }

    @Test
    void aValueOfTheWrongTypeFails() throws Exception {
        assertThat(ManifestModels.violations(yaml(DEPLOYMENT.replace("replicas: 2", "replicas: two")))).hasSize(1);
        assertThat(ManifestModels.violations(yaml(DEPLOYMENT.replace("replicas: 2", "replicas: \"2\"")))).hasSize(1);
        assertThat(ManifestModels.violations(yaml(DEPLOYMENT.replace("image: nginx", "image: [nginx]")))).hasSize(1);
        assertThat(ManifestModels.violations(yaml(TOPIC.replace("partitions: 6", "partitions: six")))).hasSize(1);
        assertThat(ManifestModels.violations(yaml(DEPLOYMENT.replace("containerPort: 8080", "containerPort: true")))).hasSize(1);
    }

    @Test
    void aKindWithoutAModelOrAManifestWithoutANameFails() throws Exception {
        assertThat(ManifestModels.violations(yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n"))).singleElement()
                .asString().contains("no model");
        assertThat(ManifestModels.violations(yaml("apiVersion: apps/v1beta1\nkind: Deployment\nmetadata: {name: p}\n")))
                .singleElement().asString().contains("no model");
        assertThat(ManifestModels.violations(yaml(TOPIC.replace("name: events, ", "")))).singleElement().asString()
                .contains("metadata.name");
    }

    private static JsonNode yaml(String text) throws Exception {
        return YAML.readTree(text);
    }
}

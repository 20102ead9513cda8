package dev.incidentplatform.deploy.validation;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.introspect.Annotated;
import com.fasterxml.jackson.databind.introspect.JacksonAnnotationIntrospector;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.type.LogicalType;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.strimzi.api.kafka.model.kafka.Kafka;
import io.strimzi.api.kafka.model.nodepool.KafkaNodePool;
import io.strimzi.api.kafka.model.topic.KafkaTopic;
import io.strimzi.api.kafka.model.user.KafkaUser;

/**
 * Schema validation of rendered manifests by strict binding to the API models: fabric8's Kubernetes model (generated
 * from the Kubernetes OpenAPI schema) and Strimzi's own {@code kafka.strimzi.io/v1} model (from which Strimzi
 * generates its CRDs' schemas). Both models keep unknown fields in an any-setter, so that a client survives a newer
 * server; here the any-setters are switched off, so that an unknown or misspelt field fails, as does a value of the
 * wrong type (no coercion of {@code "3"} to 3, nor of 3 to {@code "3"}). What binding cannot see, a required field
 * left out, is checked by the rules in the tests. A kind without a model here fails: nothing passes unvalidated.
 */
public final class ManifestModels {

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", ConfigMap.class),
            Map.entry("v1/Secret", Secret.class),
            Map.entry("v1/Service", Service.class),
            Map.entry("apps/v1/Deployment", Deployment.class),
            Map.entry("policy/v1/PodDisruptionBudget", PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy", NetworkPolicy.class),
            Map.entry("networking.k8s.io/v1/Ingress", Ingress.class),
            Map.entry("autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", KafkaUser.class));

    private static final ObjectMapper STRICT = strict();

    private ManifestModels() {
    }

    /** What is wrong with the manifest against its model: nothing when it binds. */
    public static List<String> violations(JsonNode manifest) {
        String id = manifest.path("apiVersion").asText() + "/" + manifest.path("kind").asText();
        String name = id + " " + manifest.path("metadata").path("name").asText("(no name)");
        Class<?> model = MODELS.get(id);
        if (model == null) {
            return List.of(name + ": no model for " + id + " (known: " + MODELS.keySet().stream().sorted().toList() + ")");
        }
        if (manifest.path("metadata").path("name").asText().isEmpty()) {
            return List.of(name + ": metadata.name is missing");
        }
        try {
            STRICT.treeToValue(manifest, model);
            return List.of();
        } catch (Exception e) {
            return List.of(name + ": " + e.getMessage().lines().findFirst().orElse(e.toString()));
        }
    }

    /** The manifest as its model, bound as strictly as {@link #violations} checks. */
    public static <T> T bind(JsonNode manifest, Class<T> model) {
        try {
            return STRICT.treeToValue(manifest, model);
        } catch (Exception e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private static ObjectMapper strict() {
        JsonMapper mapper = JsonMapper.builder()
                .annotationIntrospector(new JacksonAnnotationIntrospector() {
                    @Override
                    public Boolean hasAnySetter(Annotated member) {
                        return Boolean.FALSE;
                    }
                })
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .enable(DeserializationFeature.FAIL_ON_NUMBERS_FOR_ENUMS)
                .enable(DeserializationFeature.FAIL_ON_READING_DUP_TREE_KEY)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
                .build();
        for (CoercionInputShape shape : List.of(CoercionInputShape.Integer, CoercionInputShape.Float, CoercionInputShape.Boolean)) {
            mapper.coercionConfigFor(LogicalType.Textual).setCoercion(shape, CoercionAction.Fail);
        }
        return mapper;
    }
}

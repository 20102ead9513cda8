package dev.incidentplatform.deploy.validation;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Renders a Kustomize directory with the {@code kubectl} on the PATH ({@code kubectl kustomize}, kustomize v5 inside
 * kubectl 1.27 and newer), or the one {@code KUBECTL} names. Debian's {@code kubernetes-client} (kubectl 1.20,
 * kustomize v2) cannot build these overlays; README: validation.
 */
public final class Kustomize {

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private Kustomize() {
    }

    /** The manifests the directory renders to, in kustomize's order. */
    public static List<JsonNode> render(Path directory) {
        String kubectl = kubectl();
        ProcessBuilder command = new ProcessBuilder(kubectl, "kustomize", directory.toString());
        try {
            Process process = command.start();
            CompletableFuture<String> errors = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            String output = read(process.getInputStream());
            if (!process.waitFor(120, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException(kubectl + " kustomize " + directory + " did not finish in 120 s");
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(kubectl + " kustomize " + directory + " failed: " + errors.join());
            }
            List<JsonNode> manifests = new ArrayList<>();
            try (MappingIterator<JsonNode> documents = YAML.readerFor(JsonNode.class).readValues(output)) {
                while (documents.hasNext()) {
                    JsonNode manifest = documents.next();
                    if (manifest != null && !manifest.isNull() && !manifest.isMissingNode()) {
                        manifests.add(manifest);
                    }
                }
            }
            return manifests;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static String kubectl() {
        String configured = System.getenv("KUBECTL");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            Path candidate = Path.of(dir, "kubectl");
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        throw new IllegalStateException("no kubectl on the PATH (and KUBECTL not set): the Kubernetes checks render the"
                + " overlays with 'kubectl kustomize' and need kubectl 1.27 or newer (kustomize v5). Debian's"
                + " kubernetes-client package (1.20) is too old; install the Kubernetes project's kubectl, or point"
                + " KUBECTL at one.");
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

package dev.incidentplatform.testsupport.contract;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.LevelResolver;
import com.atlassian.oai.validator.report.ValidationReport;

/**
 * Holds a service to its own OpenAPI document: every response a test receives must be one the document describes for
 * that operation (status, content type, headers, body schema). Requests are not judged (tests send bad ones on
 * purpose) except that their operation must be documented. Checked by Atlassian's swagger-request-validator, an
 * implementation this project did not write, against the document the running service serves at /q/openapi.
 */
public final class OpenApiContract {

    private static final Map<String, OpenApiContract> BY_BASE = new ConcurrentHashMap<>();
    private static final AtomicLong VALIDATED = new AtomicLong();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(OpenApiContract::writeCount));
    }

    private final OpenApiInteractionValidator validator;
    private final String document;

    private OpenApiContract(String document) {
        this.document = document;
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document)
                .withLevelResolver(LevelResolver.create()
                        .withLevel("validation.request", ValidationReport.Level.IGNORE)
                        .withLevel("validation.request.path.missing", ValidationReport.Level.ERROR)
                        .withLevel("validation.request.operation.notAllowed", ValidationReport.Level.ERROR)
                        .withLevel("validation.response", ValidationReport.Level.ERROR)
                        .build())
                .build();
    }

    /** The contract of the service at {@code base} (scheme, host and port), read from its /q/openapi once. */
    public static OpenApiContract of(URI base) {
        String key = base.getScheme() + "://" + base.getHost() + ":" + base.getPort();
        return BY_BASE.computeIfAbsent(key, k -> new OpenApiContract(fetch(URI.create(k + "/q/openapi?format=json"))));
    }

    public String document() {
        return document;
    }

    /** How many interactions this JVM has checked against a document. */
    public static long validatedInteractions() {
        return VALIDATED.get();
    }

    /** The framework's own endpoints (health, metrics, the document itself) are not part of the service's API. */
    public static boolean isApiPath(String path) {
        return !path.startsWith("/q/");
    }

    /**
     * Checks one interaction; fails with the validator's messages when the response is not one the document describes.
     *
     * @param documentedPathOnly true in suites that send requests to paths or methods that exist in no document on
     *        purpose: there an unknown operation is not a failure, and the answer is checked as a problem by the caller.
     * @return false when the operation is not documented (and documentedPathOnly allowed it)
     */
    public boolean check(String method, String path, Map<String, List<String>> query, int status,
            Map<String, List<String>> responseHeaders, String responseBody, boolean documentedPathOnly) {
        SimpleRequest.Builder request = new SimpleRequest.Builder(Request.Method.valueOf(method.toUpperCase()), path);
        query.forEach(request::withQueryParam);
        SimpleResponse.Builder response = new SimpleResponse.Builder(status);
        responseHeaders.forEach((name, values) -> response.withHeader(name, values));
        if (responseBody != null && !responseBody.isEmpty()) {
            response.withBody(responseBody);
        }
        ValidationReport report = validator.validate(request.build(), response.build());
        VALIDATED.incrementAndGet();
        boolean unknownPath = report.getMessages().stream().anyMatch(m -> m.getKey().equals("validation.request.path.missing")
                || m.getKey().equals("validation.request.operation.notAllowed"));
        if (unknownPath && documentedPathOnly) {
            return false;
        }
        if (report.hasErrors()) {
            throw new AssertionError(method + " " + path + " answered " + status + ", which its OpenAPI document does not"
                    + " describe:\n" + report.getMessages().stream().filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                            .map(m -> "  - " + m.getKey() + ": " + m.getMessage()).collect(Collectors.joining("\n"))
                    + "\nbody: " + abbreviate(responseBody));
        }
        return true;
    }

    private static String fetch(URI uri) {
        try {
            HttpResponse<String> answer = HTTP.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
            if (answer.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + answer.statusCode());
            }
            return answer.body();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** target/openapi-validated-interactions.txt: the count of this JVM's checks, for the record. */
    private static void writeCount() {
        if (VALIDATED.get() == 0) {
            return;
        }
        try {
            Path target = Path.of("target");
            if (Files.isDirectory(target)) {
                Files.writeString(target.resolve("openapi-validated-interactions.txt"), VALIDATED.get() + "\n");
            }
        } catch (IOException e) {
            // Only a record; the tests have passed or failed already.
        }
    }

    private static String abbreviate(String text) {
        return text == null ? "" : text.length() <= 600 ? text : text.substring(0, 600) + "...";
    }
}

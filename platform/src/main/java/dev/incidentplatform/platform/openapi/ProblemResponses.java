package dev.incidentplatform.platform.openapi;

import java.util.List;
import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import dev.incidentplatform.platform.problem.Problem;

/**
 * Writes into every service's OpenAPI document the refusals that the platform may give to any operation, so that a
 * generated client knows them: 400 (a path, query or header that breaks its syntax), 401 and 403 where a token is
 * needed, 404, 406, 414, 431, 413 and 415 where a body is read, and 500/503 (the database unreachable; Retry-After).
 * All are application/problem+json with the one Problem schema. Operations keep what they declare themselves.
 */
public class ProblemResponses implements OASFilter {

    static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        Components components = openAPI.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            openAPI.setComponents(components);
        }
        if (components.getSchemas() == null || !components.getSchemas().containsKey("FieldError")) {
            components.addSchema("FieldError", fieldError());
        }
        if (components.getSchemas() == null || !components.getSchemas().containsKey("Problem")) {
            components.addSchema("Problem", problem());
        }
        if (openAPI.getPaths() == null || openAPI.getPaths().getPathItems() == null) {
            return;
        }
        for (PathItem item : openAPI.getPaths().getPathItems().values()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : item.getOperations().entrySet()) {
                addRefusals(entry.getValue(), openAPI);
            }
        }
    }

    private static void addRefusals(Operation operation, OpenAPI openAPI) {
        APIResponses responses = operation.getResponses();
        if (responses == null) {
            responses = OASFactory.createAPIResponses();
            operation.setResponses(responses);
        }
        boolean secured = operation.getSecurity() == null ? openAPI.getSecurity() != null && !openAPI.getSecurity().isEmpty()
                : !operation.getSecurity().isEmpty();
        boolean readsBody = operation.getRequestBody() != null;
        add(responses, 400, "The path, query, headers or body break a rule; errors names each field");
        if (secured) {
            add(responses, 401, "No valid bearer token (WWW-Authenticate: Bearer)");
            add(responses, 403, "The token's roles do not allow this");
        }
        add(responses, 404, "Nothing at this path");
        add(responses, 406, "No type the Accept header allows can be produced");
        if (readsBody) {
            add(responses, 413, "The body is larger than this endpoint accepts");
            add(responses, 415, "The body's Content-Type is not one this endpoint reads");
        }
        add(responses, 414, "The URL is too long");
        add(responses, 431, "The request headers are too large");
        add(responses, 500, "A failure on the service's side; logged");
        APIResponse unavailable = add(responses, 503, "The database cannot be reached; nothing was changed. Retry after Retry-After seconds");
        if (unavailable != null) {
            unavailable.addHeader("Retry-After", OASFactory.createHeader().description("Seconds to wait before retrying")
                    .schema(OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)));
        }
        // The operation's own error statuses (409, 412, 422, 429 ...), declared with a description only, are problems too.
        if (responses.getAPIResponses() != null) {
            responses.getAPIResponses().forEach((code, declared) -> {
                boolean error = code.startsWith("4") || code.startsWith("5");
                if (error && (declared.getContent() == null || declared.getContent().getMediaTypes() == null
                        || declared.getContent().getMediaTypes().isEmpty())) {
                    declared.setContent(problemContent());
                }
            });
        }
    }

    private static APIResponse add(APIResponses responses, int status, String description) {
        String code = Integer.toString(status);
        if (responses.hasAPIResponse(code)) {
            APIResponse declared = responses.getAPIResponse(code);
            if (declared.getContent() == null || declared.getContent().getMediaTypes() == null
                    || declared.getContent().getMediaTypes().isEmpty()) {
                declared.setContent(problemContent());
            }
            return null;
        }
        APIResponse response = OASFactory.createAPIResponse().description(Problem.title(status) + ": " + description)
                .content(problemContent());
        responses.addAPIResponse(code, response);
        return response;
    }

    public static Content problemContent() {
        MediaType media = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF));
        return OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, media);
    }

    private static Schema problem() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).description("RFC 9457 problem details")
                .required(List.of("type", "title", "status", "detail"))
                .addProperty("type", string("about:blank: the status says what happened"))
                .addProperty("title", string("The status's reason phrase"))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).minimum(java.math.BigDecimal.valueOf(400))
                        .maximum(java.math.BigDecimal.valueOf(599)))
                .addProperty("detail", string("What was wrong and what to do; a refused request changed nothing"))
                .addProperty("instance", string("The requested path, percent-encoded"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .description("Each offending field and the rule it breaks")
                        .items(OASFactory.createSchema().ref("#/components/schemas/FieldError")))
                .addProperty("errorCount", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .description("How many errors there were in all, when errors lists only the first ones"));
    }

    private static Schema fieldError() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT).required(List.of("field", "reason"))
                .addProperty("field", string("The field (components[2].status), header, query parameter or CSV column"))
                .addProperty("reason", string("The rule it breaks"))
                .addProperty("line", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER)
                        .description("The line of an imported file, from 1 (the header)"));
    }

    private static Schema string(String description) {
        return OASFactory.createSchema().addType(Schema.SchemaType.STRING).description(description);
    }
}

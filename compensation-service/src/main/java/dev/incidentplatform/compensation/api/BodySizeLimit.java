package dev.incidentplatform.compensation.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * The HTTP body limit is large for the streaming CSV import; every other (JSON) request is held to a small one, so a
 * huge JSON body is refused (413) before anything parses it. (A chunked body announces no length; Jackson then reads
 * it, still bounded by the HTTP limit.)
 */
public class BodySizeLimit {

    private final long maxJsonBytes;

    public BodySizeLimit(@ConfigProperty(name = "compensation.api.max-json-body", defaultValue = "1048576") long maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
    }

    @ServerRequestFilter(preMatching = true)
    public Response limit(ContainerRequestContext request, UriInfo uri) {
        if (uri.getPath().endsWith("/import")) {
            return null;
        }
        String length = request.getHeaderString("Content-Length");
        if (length != null && parse(length) > maxJsonBytes) {
            return Problem.of(Response.Status.REQUEST_ENTITY_TOO_LARGE, "Bodies of this endpoint are at most " + maxJsonBytes
                    + " bytes; large contract lists go to POST /api/contracts/import as text/csv.", uri).toResponse();
        }
        return null;
    }

    private static long parse(String length) {
        try {
            return Long.parseLong(length.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}

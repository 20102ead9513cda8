package dev.incidentplatform.platform.http;

import java.util.Map;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import dev.incidentplatform.platform.problem.Instances;
import dev.incidentplatform.platform.problem.Problem;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * The HTTP layer's refusals as problem+json, before Quarkus' own handlers (which answer with a status alone): a URL
 * or headers over the limits (414, 431), a body announced larger than its path's limit (413), and any failure the
 * router itself reports (a 4xx from a handler that is not JAX-RS).
 */
@Singleton
public class HttpLimits {

    private final HttpLimitsConfig config;

    public HttpLimits(HttpLimitsConfig config) {
        this.config = config;
    }

    void install(@Observes Router router) {
        // Before Quarkus' body-size handler (order -2) and everything else.
        router.route().order(-3).handler(this::check);
        router.route().order(-3).failureHandler(HttpLimits::failure);
        // Failures the router reports before any route runs (a path it cannot normalise: 400) or for no route (404, 405).
        for (int status : new int[] { 400, 404, 405, 406, 413, 414, 415, 431 }) {
            router.errorHandler(status, HttpLimits::failure);
        }
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        if (request.uri().length() > config.maxUrlLength()) {
            refuse(context, 414, "The URL has " + request.uri().length() + " bytes; at most " + config.maxUrlLength()
                    + " are accepted. Send long filters in fewer, shorter parameters.");
            return;
        }
        long headerBytes = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            headerBytes += header.getKey().length() + header.getValue().length() + 4;
        }
        if (headerBytes > config.maxHeaderBytes()) {
            refuse(context, 431, "The request headers have " + headerBytes + " bytes; at most " + config.maxHeaderBytes()
                    + " are accepted.");
            return;
        }
        long limit = bodyLimit(request.path());
        String length = request.getHeader("Content-Length");
        if (length != null) {
            long announced;
            try {
                announced = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                refuse(context, 400, "Content-Length must be a whole number of bytes.");
                return;
            }
            if (announced > limit) {
                refuse(context, 413, "The body has " + announced + " bytes; this endpoint accepts at most " + limit
                        + " bytes.");
                return;
            }
        }
        context.next();
    }

    /** The limit of the longest configured path that the request's path equals. */
    long bodyLimit(String path) {
        var specific = config.bodyLimits().get(path);
        return specific != null ? specific.asLongValue() : config.bodyLimit().asLongValue();
    }

    private static void failure(RoutingContext context) {
        int status = context.statusCode();
        if (context.response().ended() || context.response().headWritten() || status < 400 || status >= 500) {
            if (!context.response().ended() && context.failed()) {
                context.next();
            }
            return;
        }
        refuse(context, status, "The request was refused (" + Problem.title(status) + "); nothing was changed.");
    }

    static void refuse(RoutingContext context, int status, String detail) {
        JsonObject problem = new JsonObject().put("type", Problem.TYPE).put("title", Problem.title(status))
                .put("status", status).put("detail", detail);
        String instance = Instances.of(context.request().path());
        if (instance != null) {
            problem.put("instance", instance);
        }
        context.response().setStatusCode(status).putHeader("Content-Type", Problem.MEDIA_TYPE)
                // The rest of the request is not read: the connection cannot be reused.
                .putHeader("Connection", "close").end(problem.encode());
    }
}

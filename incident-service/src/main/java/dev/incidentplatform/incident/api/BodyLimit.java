package dev.incidentplatform.incident.api;

import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import io.quarkus.runtime.configuration.MemorySize;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;

/**
 * Answers a body announced larger than {@code quarkus.http.limits.max-body-size} with 413 problem+json before it is
 * read. (Quarkus' own check, which also catches chunked bodies that grow past the limit, answers 413 without a body.)
 */
@jakarta.inject.Singleton
public class BodyLimit {

    void install(@Observes Router router, @ConfigProperty(name = "quarkus.http.limits.max-body-size") MemorySize limit) {
        long max = limit.asLongValue();
        // Before Quarkus' own limit handler (order -2).
        router.route().order(-3).handler(context -> {
            String length = context.request().getHeader("Content-Length");
            long announced;
            try {
                announced = length == null ? -1 : Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                announced = -1;
            }
            if (announced > max) {
                JsonObject problem = new JsonObject()
                        .put("type", "about:blank")
                        .put("title", "Content Too Large")
                        .put("status", 413)
                        .put("detail", "The body has " + announced + " bytes; at most " + max + " bytes (256 KiB) are accepted.")
                        .put("instance", context.request().path());
                context.response().setStatusCode(413).putHeader("Content-Type", Problem.MEDIA_TYPE)
                        .putHeader("Connection", "close").end(problem.encode());
                return;
            }
            context.next();
        });
    }
}

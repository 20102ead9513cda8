package dev.incidentplatform.notification.unsubscribe;

import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import dev.incidentplatform.notification.subscriber.SubscriberStore;
import dev.incidentplatform.platform.problem.Instances;
import dev.incidentplatform.platform.problem.Problem;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The links in every notice, reachable without login (the signed token is the authority). GET only shows a page with
 * a confirm button, because mail scanners follow links; POST (the button, or a mail client's RFC 8058 one-click
 * {@code List-Unsubscribe=One-Click}) unsubscribes and cancels the deliveries still waiting. A forged, altered or
 * malformed token changes nothing.
 */
@Path("/unsubscribe")
@PermitAll
public class UnsubscribeResource {

    static final String ACTOR = "subscriber (unsubscribe link)";

    @CheckedTemplate(basePath = "unsubscribe")
    static class Pages {
        static native TemplateInstance confirm(String token);

        static native TemplateInstance done();

        static native TemplateInstance refused(String reason);
    }

    private final UnsubscribeLinks links;
    private final SubscriberStore subscribers;

    public UnsubscribeResource(UnsubscribeLinks links, SubscriberStore subscribers) {
        this.links = links;
        this.subscribers = subscribers;
    }

    @GET
    public Response page(@QueryParam("token") String token, @Context HttpHeaders headers, @Context UriInfo uri) {
        UnsubscribeTokens.Verification verification = links.verify(token);
        if (!verification.valid()) {
            return refused(verification, headers, uri);
        }
        return html(Response.Status.OK, Pages.confirm(token).render());
    }

    @POST
    public Response unsubscribe(@QueryParam("token") String token, @Context HttpHeaders headers, @Context UriInfo uri) {
        UnsubscribeTokens.Verification verification = links.verify(token);
        if (!verification.valid()) {
            return refused(verification, headers, uri);
        }
        UUID subscriberId = verification.subscriberId();
        // A subscriber deleted since the mail was sent is just as unsubscribed: the answer is the same.
        subscribers.unsubscribe(subscriberId, ACTOR);
        return html(Response.Status.OK, Pages.done().render());
    }

    private static Response refused(UnsubscribeTokens.Verification verification, HttpHeaders headers, UriInfo uri) {
        boolean forged = verification.refusal() == UnsubscribeTokens.Refusal.FORGED;
        Response.Status status = forged ? Response.Status.FORBIDDEN : Response.Status.BAD_REQUEST;
        String detail = forged ? "This unsubscribe link was not issued by us or has been altered; nothing was changed."
                : "This is not a valid unsubscribe link (the token is missing or malformed); nothing was changed.";
        if (wantsHtml(headers)) {
            return html(status, Pages.refused(detail).render());
        }
        return Problem.of(status.getStatusCode(), detail, Instances.of(uri.getRequestUri().getRawPath())).toResponse();
    }

    private static boolean wantsHtml(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .anyMatch(type -> !type.isWildcardType() && type.isCompatible(MediaType.TEXT_HTML_TYPE));
    }

    private static Response html(Response.Status status, String page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page).build();
    }
}

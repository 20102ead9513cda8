package dev.incidentplatform.notification.unsubscribe;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import dev.incidentplatform.notification.config.NotificationConfig;
import dev.incidentplatform.notification.subscriber.SubscriberStore;
import dev.incidentplatform.platform.problem.Problem;
import dev.incidentplatform.platform.problem.ProblemException;
import dev.incidentplatform.platform.problem.ProblemMappers;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.core.http.HttpServerRequest;

/**
 * The links in every notice, reachable without login (the signed token is the authority). GET only shows a page with
 * a confirm button, because mail scanners follow links; POST (the button, or a mail client's RFC 8058 one-click
 * {@code List-Unsubscribe=One-Click}) unsubscribes and cancels the deliveries still waiting. A forged, altered or
 * malformed token changes nothing. Both are rate limited per client address ({@code notification.unsubscribe.rate-limit}).
 * Every page forbids scripts, framing and referrers: the token is in the URL.
 */
@Path("/unsubscribe")
@PermitAll
@Tag(name = "Unsubscribe", description = "The signed links in every notice; no login")
public class UnsubscribeResource {

    static final String ACTOR = "subscriber (unsubscribe link)";
    /** No script, no external resource, no framing; the form may only post back here. Styles are inline attributes. */
    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; style-src 'unsafe-inline'; form-action 'self';"
            + " frame-ancestors 'none'; base-uri 'none'";
    private static final String TOKEN_DESCRIPTION = "The token of the link: base64url without padding (RFC 4648 §5), two"
            + " parts joined by '.'; no other encoding is accepted";

    @CheckedTemplate(basePath = "unsubscribe")
    static class Pages {
        static native TemplateInstance confirm(String token);

        static native TemplateInstance done();

        static native TemplateInstance refused(String reason);
    }

    /** RFC 8058's one-click body; the answer is the same without it (the confirmation page's button sends it too). */
    @Schema(name = "OneClickUnsubscribe")
    public record OneClick(@Schema(name = "List-Unsubscribe", enumeration = "One-Click") String listUnsubscribe) {
    }

    private final UnsubscribeLinks links;
    private final SubscriberStore subscribers;
    private final ClientRateLimit rateLimit;

    public UnsubscribeResource(UnsubscribeLinks links, SubscriberStore subscribers, NotificationConfig config) {
        this.links = links;
        this.subscribers = subscribers;
        NotificationConfig.RateLimit limit = config.unsubscribe().rateLimit();
        this.rateLimit = new ClientRateLimit(limit.requests(), limit.window(), limit.maxClients(), System::nanoTime);
    }

    @GET
    @Produces({ MediaType.TEXT_HTML, Problem.MEDIA_TYPE })
    @SecurityRequirements
    @Operation(operationId = "showUnsubscribePage", summary = "Shows the confirmation page of an unsubscribe link")
    @APIResponse(responseCode = "200", description = "The page with the confirm button", headers = {
            @Header(name = "Content-Security-Policy", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "X-Frame-Options", schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "The token is missing or malformed (an HTML page when the client"
            + " accepts text/html)", content = { @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "403", description = "The token was not issued by this service or was altered",
            content = { @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "429", description = "Too many requests from this client address",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = { @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)) })
    public Response page(@QueryParam("token") @Parameter(description = TOKEN_DESCRIPTION) String token,
            @Context HttpHeaders headers, @Context HttpServerRequest request) {
        Response limited = limited(headers, request);
        if (limited != null) {
            return limited;
        }
        UnsubscribeTokens.Verification verification = links.verify(token);
        if (!verification.valid()) {
            return refused(verification, headers, request);
        }
        return html(Response.Status.OK.getStatusCode(), Pages.confirm(token).render());
    }

    @POST
    @Produces({ MediaType.TEXT_HTML, Problem.MEDIA_TYPE })
    @SecurityRequirements
    @Operation(operationId = "unsubscribe", summary = "Unsubscribes the link's subscriber (RFC 8058 one-click too)",
            description = "Idempotent: a repeated request answers the same and changes nothing more.")
    @RequestBody(required = false, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = OneClick.class)))
    @APIResponse(responseCode = "200", description = "Unsubscribed (also when already unsubscribed or deleted)", headers = {
            @Header(name = "Content-Security-Policy", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "X-Frame-Options", schema = @Schema(type = SchemaType.STRING)) },
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "400", description = "The token is missing or malformed (an HTML page when the client"
            + " accepts text/html)", content = { @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "403", description = "The token was not issued by this service or was altered",
            content = { @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "429", description = "Too many requests from this client address",
            headers = @Header(name = HttpHeaders.RETRY_AFTER, description = "Seconds to wait", schema = @Schema(type = SchemaType.INTEGER)),
            content = { @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(ref = "Problem")),
                    @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)) })
    public Response unsubscribe(@QueryParam("token") @Parameter(description = TOKEN_DESCRIPTION) String token,
            @Context HttpHeaders headers, @Context HttpServerRequest request) {
        Response limited = limited(headers, request);
        if (limited != null) {
            return limited;
        }
        UnsubscribeTokens.Verification verification = links.verify(token);
        if (!verification.valid()) {
            return refused(verification, headers, request);
        }
        UUID subscriberId = verification.subscriberId();
        // A subscriber deleted since the mail was sent is just as unsubscribed: the answer is the same.
        subscribers.unsubscribe(subscriberId, ACTOR);
        return html(Response.Status.OK.getStatusCode(), Pages.done().render());
    }

    /** 429 once the client address has used its budget; null while it may go on. */
    private Response limited(HttpHeaders headers, HttpServerRequest request) {
        String client = request.remoteAddress() == null ? "unknown" : request.remoteAddress().hostAddress();
        long retryAfter = rateLimit.acquire(String.valueOf(client));
        if (retryAfter == 0) {
            return null;
        }
        String detail = "Too many unsubscribe requests from your address; try again in " + retryAfter + " seconds."
                + " Nothing was changed.";
        if (wantsHtml(headers)) {
            return htmlResponse(429, Pages.refused(detail).render()).header(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter))
                    .build();
        }
        throw new ProblemException(429, detail, List.of(), null, Map.of(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter)));
    }

    private static Response refused(UnsubscribeTokens.Verification verification, HttpHeaders headers, HttpServerRequest request) {
        boolean forged = verification.refusal() == UnsubscribeTokens.Refusal.FORGED;
        int status = forged ? 403 : 400;
        String detail = forged ? "This unsubscribe link was not issued by us or has been altered; nothing was changed."
                : "This is not a valid unsubscribe link (the token is missing or malformed: it must be base64url without"
                        + " padding, as in the email); nothing was changed.";
        if (wantsHtml(headers)) {
            return html(status, Pages.refused(detail).render());
        }
        return Problem.of(status, detail, ProblemMappers.instance(request)).toResponse();
    }

    private static boolean wantsHtml(HttpHeaders headers) {
        return headers.getAcceptableMediaTypes().stream()
                .anyMatch(type -> !type.isWildcardType() && type.isCompatible(MediaType.TEXT_HTML_TYPE));
    }

    private static Response html(int status, String page) {
        return htmlResponse(status, page).build();
    }

    /** A page, with the headers that keep it from being framed, sniffed, scripted or leaking its URL (the token). */
    private static Response.ResponseBuilder htmlResponse(int status, String page) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(page)
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header(HttpHeaders.CACHE_CONTROL, "no-store");
    }
}

package dev.incidentplatform.notification.api;

import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;

/** Who the bearer token says the caller is: lets a user check a token before using it. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Identity", description = "The caller as the token says")
public class WhoAmIResource {

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public WhoAmIResource(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    @Schema(name = "Caller")
    public record Caller(@Schema(required = true) String name, @Schema(required = true) Set<String> roles,
            @Schema(required = true) String issuer) {
    }

    @GET
    @Operation(operationId = "getCaller", summary = "Says who the bearer token makes the caller")
    @APIResponse(responseCode = "200", description = "The caller")
    @RolesAllowed({ Roles.SUBSCRIBER_ADMIN })
    public Caller me() {
        return new Caller(identity.getPrincipal().getName(), new TreeSet<>(identity.getRoles()), token.getIssuer());
    }
}

package dev.incidentplatform.compensation.api;

import java.util.Set;
import java.util.TreeSet;

import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.quarkus.security.identity.SecurityIdentity;

/** Who the bearer token says the caller is: lets a user check a token before using it. */
@Path("/api/me")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "caller", description = "Who the bearer token says the caller is")
public class WhoAmIResource {

    private final SecurityIdentity identity;
    private final JsonWebToken token;

    public WhoAmIResource(SecurityIdentity identity, JsonWebToken token) {
        this.identity = identity;
        this.token = token;
    }

    public record Caller(String name, Set<String> roles, String issuer) {
    }

    @GET
    @RolesAllowed({ Roles.BILLING_ADMIN, Roles.BILLING_AUDITOR })
    @Operation(operationId = "getCaller", summary = "The caller's name, roles and token issuer")
    public Caller me() {
        return new Caller(identity.getPrincipal().getName(), new TreeSet<>(identity.getRoles()), token.getIssuer());
    }
}

package dev.incidentplatform.compensation.policy;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.incidentplatform.compensation.api.IdempotentAnswers;
import dev.incidentplatform.compensation.api.Months;
import dev.incidentplatform.compensation.api.Names;
import dev.incidentplatform.compensation.api.Roles;
import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.Policy;
import dev.incidentplatform.compensation.domain.PolicyKind;
import dev.incidentplatform.compensation.domain.Tier;
import dev.incidentplatform.compensation.policy.PolicyRepository.TierJson;
import dev.incidentplatform.platform.http.QueryParameters;
import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.idempotency.IdempotencyRecords;
import dev.incidentplatform.platform.links.PublicLinks;
import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.FieldErrors;
import io.vertx.core.http.HttpServerRequest;

/** SLA policies: read by auditors, a new version by billing admins; a version, once stored, never changes. */
@Path("/api/policies")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "policies", description = "SLA policies: tiers of credit by monthly uptime, versioned")
public class PolicyResource {

    private final PolicyRepository policies;
    private final IdempotentAnswers idempotency;
    private final JsonWebToken caller;
    private final Clock clock;

    public PolicyResource(PolicyRepository policies, IdempotentAnswers idempotency, JsonWebToken caller, Clock clock) {
        this.policies = policies;
        this.idempotency = idempotency;
        this.caller = caller;
        this.clock = clock;
    }

    public record NewPolicyVersion(String policyId, String kind, List<TierJson> tiers, String effectiveFrom) {
    }

    public record PolicyVersionView(String policyId, int version, String kind, List<TierJson> tiers, String effectiveFrom,
            boolean used, Instant recordedAt, String recordedBy) {

        static PolicyVersionView of(PolicyVersion v) {
            return new PolicyVersionView(v.policy().id(), v.policy().version(), v.policy().kind().wire(),
                    v.policy().tiers().stream().map(t -> new TierJson(plain(t.belowUptimePercent()), plain(t.creditPercent()),
                            t.extensionDays())).toList(),
                    v.effectiveFromMonth().toString(), v.used(), v.recordedAt(), v.recordedBy());
        }

        private static BigDecimal plain(BigDecimal value) {
            return value == null ? null : value.stripTrailingZeros();
        }
    }

    @GET
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
    @Operation(operationId = "listPolicyVersions", summary = "Every version of every policy")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<PolicyVersionView> list(@Context UriInfo uri, @Context HttpServerRequest http) {
        QueryParameters.onlyKnown(uri, Set.of("page", "size"));
        Paging paging = Paging.of(http);
        List<PolicyVersionView> all = policies.all().stream().map(PolicyVersionView::of).toList();
        int from = (int) Math.min(paging.offset(), all.size());
        return paging.page(all.subList(from, Math.min(all.size(), from + paging.size())), all.size());
    }

    @GET
    @Path("/{policyId}")
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
    @Operation(operationId = "getPolicy", summary = "The versions of one policy, oldest first")
    @APIResponse(responseCode = "200", description = "The policy's versions", content = @Content(mediaType = "application/json",
            schema = @Schema(type = SchemaType.ARRAY, implementation = PolicyVersionView.class)))
    public List<PolicyVersionView> versions(@PathParam("policyId") String policyId) {
        List<PolicyVersionView> versions = policies.versions(policyId).stream().map(PolicyVersionView::of).toList();
        if (versions.isEmpty()) {
            throw new NotFoundException();
        }
        return versions;
    }

    @GET
    @Path("/{policyId}/versions/{version}")
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
    @Operation(operationId = "getPolicyVersion", summary = "One version of a policy")
    @APIResponse(responseCode = "200", description = "The version", content = @Content(mediaType = "application/json",
            schema = @Schema(implementation = PolicyVersionView.class)))
    public PolicyVersionView version(@PathParam("policyId") String policyId, @PathParam("version") int version) {
        return policies.versions(policyId).stream().filter(v -> v.policy().version() == version)
                .map(PolicyVersionView::of).findFirst().orElseThrow(NotFoundException::new);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.BILLING_ADMIN)
    @Transactional
    @Operation(operationId = "addPolicyVersion", summary = "Add the next version of a policy (or its first)")
    @APIResponse(responseCode = "201", description = "The version, stored", headers = {
            @Header(name = "Location", description = "/api/policies/{policyId}/versions/{version}", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "ETag", description = "A strong validator of this body", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Idempotent-Replayed", description = "true when this is the stored answer to a repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = PolicyVersionView.class)))
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key was answered first, at the same time; send it again")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used before for a different request")
    public Response append(@HeaderParam(RequestHeaders.IDEMPOTENCY_KEY) @Parameter(description = "1 to 255 visible ASCII characters; a repeated request with the same key gets the first answer", schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$")) String idempotencyKey, NewPolicyVersion request) {
        Optional<String> key = IdempotencyRecords.key(idempotencyKey);
        FieldErrors errors = new FieldErrors();
        if (request == null) {
            errors.add("body", "send {policyId, kind, tiers, effectiveFrom?}");
            errors.throwIfAny("Invalid policy");
        }
        String hash = idempotency.fingerprint(key, "POST", "/api/policies", request);
        Optional<Response> replay = idempotency.replay(caller.getName(), key, hash);
        if (replay.isPresent()) {
            return replay.get();
        }
        boolean validId = Names.check(errors, "policyId", request.policyId(), Names.POLICY_ID, Names.POLICY_ID_RULE);
        PolicyKind kind = errors.check("kind", () -> PolicyKind.fromWire(request.kind()));
        BillingMonth effectiveFrom = errors.check("effectiveFrom", () -> Months.orCurrent(request.effectiveFrom(), clock));
        List<Tier> tiers = request.tiers() == null ? List.of()
                : request.tiers().stream().map(t -> t == null ? new Tier(null, null, null) : t.tier()).toList();
        if (kind != null) {
            for (String problem : Policy.problems(kind, tiers)) {
                int colon = problem.indexOf(": ");
                errors.add(problem.substring(0, colon), problem.substring(colon + 2));
            }
            if (validId) {
                policies.versions(request.policyId()).stream().findFirst().filter(v -> v.policy().kind() != kind)
                        .ifPresent(v -> errors.add("kind", "policy " + request.policyId() + " grants "
                                + v.policy().kind().wire() + "; a new version cannot change that"));
            }
        }
        if (effectiveFrom != null && validId) {
            policies.lastUsedMonth(request.policyId()).filter(used -> effectiveFrom.compareTo(used) <= 0)
                    .ifPresent(used -> errors.add("effectiveFrom", "credits for " + used + " were computed with the version "
                            + "in force then, which stays so; a new version can apply from " + used.next() + " on"));
        }
        errors.throwIfAny("Invalid policy version");
        PolicyVersion stored = policies.append(request.policyId(), kind, new ArrayList<>(tiers), effectiveFrom,
                caller.getName());
        String location = PublicLinks.location("api", "policies", stored.policy().id(), "versions",
                Integer.toString(stored.policy().version()));
        return idempotency.created(caller.getName(), key, hash, location, PolicyVersionView.of(stored));
    }
}

package dev.incidentplatform.compensation.policy;

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

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

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.incidentplatform.compensation.api.IdempotentRequests;
import dev.incidentplatform.compensation.api.Months;
import dev.incidentplatform.compensation.api.Paging;
import dev.incidentplatform.compensation.api.Roles;
import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.domain.Policy;
import dev.incidentplatform.compensation.domain.PolicyKind;
import dev.incidentplatform.compensation.domain.Tier;
import dev.incidentplatform.compensation.policy.PolicyRepository.TierJson;
import dev.incidentplatform.platform.problem.FieldErrors;

/** SLA policies: read by auditors, a new version by billing admins; a version, once stored, never changes. */
@Path("/api/policies")
@Produces(MediaType.APPLICATION_JSON)
public class PolicyResource {

    private static final Pattern POLICY_ID = Pattern.compile("[a-z0-9][a-z0-9._-]{0,99}");

    private final PolicyRepository policies;
    private final IdempotentRequests idempotency;
    private final JsonWebToken caller;
    private final Clock clock;

    public PolicyResource(PolicyRepository policies, IdempotentRequests idempotency, JsonWebToken caller, Clock clock) {
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
    public Paging.Page<PolicyVersionView> list(@QueryParam("page") Integer page, @QueryParam("size") Integer size,
            @Context UriInfo uri) {
        Paging.onlyKnownParameters(uri, Set.of("page", "size"));
        Paging paging = Paging.of(page, size);
        List<PolicyVersionView> all = policies.all().stream().map(PolicyVersionView::of).toList();
        int from = (int) Math.min(paging.offset(), all.size());
        return paging.page(all.subList(from, Math.min(all.size(), from + paging.size())), all.size());
    }

    @GET
    @Path("/{policyId}")
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
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
    public PolicyVersionView version(@PathParam("policyId") String policyId, @PathParam("version") int version) {
        return policies.versions(policyId).stream().filter(v -> v.policy().version() == version)
                .map(PolicyVersionView::of).findFirst().orElseThrow(NotFoundException::new);
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.BILLING_ADMIN)
    @Transactional
    public Response append(@HeaderParam(IdempotentRequests.HEADER) String idempotencyKey, NewPolicyVersion request) {
        Optional<String> key = IdempotentRequests.key(idempotencyKey);
        FieldErrors errors = new FieldErrors();
        if (request == null) {
            errors.add("body", "send {policyId, kind, tiers, effectiveFrom?}");
            errors.throwIfAny("Invalid policy");
        }
        String hash = key.map(k -> idempotency.hashJson("POST", "/api/policies", request)).orElse(null);
        Optional<Response> replay = idempotency.replay(caller.getName(), key, hash);
        if (replay.isPresent()) {
            return replay.get();
        }
        if (request.policyId() == null || !POLICY_ID.matcher(request.policyId()).matches()) {
            errors.add("policyId", "lowercase letters, digits, '.', '_' and '-', at most 100");
        }
        PolicyKind kind = errors.check("kind", () -> PolicyKind.fromWire(request.kind()));
        BillingMonth effectiveFrom = errors.check("effectiveFrom", () -> Months.orCurrent(request.effectiveFrom(), clock));
        List<Tier> tiers = request.tiers() == null ? List.of()
                : request.tiers().stream().map(t -> t == null ? new Tier(null, null, null) : t.tier()).toList();
        if (kind != null) {
            for (String problem : Policy.problems(kind, tiers)) {
                int colon = problem.indexOf(": ");
                errors.add(problem.substring(0, colon), problem.substring(colon + 2));
            }
            if (request.policyId() != null) {
                policies.versions(request.policyId()).stream().findFirst().filter(v -> v.policy().kind() != kind)
                        .ifPresent(v -> errors.add("kind", "policy " + request.policyId() + " grants "
                                + v.policy().kind().wire() + "; a new version cannot change that"));
            }
        }
        if (effectiveFrom != null && request.policyId() != null) {
            policies.lastUsedMonth(request.policyId()).filter(used -> effectiveFrom.compareTo(used) <= 0)
                    .ifPresent(used -> errors.add("effectiveFrom", "credits for " + used + " were computed with the version "
                            + "in force then, which stays so; a new version can apply from " + used.next() + " on"));
        }
        errors.throwIfAny("Invalid policy version");
        PolicyVersion stored = policies.append(request.policyId(), kind, new ArrayList<>(tiers), effectiveFrom,
                caller.getName());
        String location = "/api/policies/" + stored.policy().id() + "/versions/" + stored.policy().version();
        if (key.isPresent()) {
            return idempotency.record(caller.getName(), key.get(), hash, 201, location, PolicyVersionView.of(stored));
        }
        return Response.created(URI.create(location)).entity(PolicyVersionView.of(stored)).build();
    }
}

package dev.incidentplatform.compensation.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.annotation.security.RolesAllowed;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.eclipse.microprofile.jwt.JsonWebToken;

import dev.incidentplatform.compensation.api.IdempotentRequests;
import dev.incidentplatform.compensation.api.Months;
import dev.incidentplatform.compensation.api.Paging;
import dev.incidentplatform.compensation.api.Roles;
import dev.incidentplatform.compensation.contract.ContractRepository.ContractRow;
import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.policy.PolicyRepository;
import dev.incidentplatform.platform.problem.FieldErrors;
import dev.incidentplatform.platform.problem.ProblemException;

/** Customer contracts: created and changed (a new version from a month on) by billing admins, read by auditors. */
@Path("/api/contracts")
@Produces(MediaType.APPLICATION_JSON)
public class ContractResource {

    private final ContractRepository contracts;
    private final ContractImport importer;
    private final PolicyRepository policies;
    private final IdempotentRequests idempotency;
    private final JsonWebToken caller;
    private final Clock clock;

    public ContractResource(ContractRepository contracts, ContractImport importer, PolicyRepository policies,
            IdempotentRequests idempotency, JsonWebToken caller, Clock clock) {
        this.contracts = contracts;
        this.importer = importer;
        this.policies = policies;
        this.idempotency = idempotency;
        this.caller = caller;
        this.clock = clock;
    }

    public record MoneyJson(String amount, String currency) {
    }

    public record NewContract(String customerId, String service, List<String> regions, MoneyJson monthlyFee,
            String policyId, String effectiveFrom) {
    }

    public record NewContractVersion(List<String> regions, MoneyJson monthlyFee, String policyId, String effectiveFrom) {
    }

    public record VersionView(int version, List<String> regions, MoneyJson monthlyFee, String policyId,
            String effectiveFrom, java.time.Instant recordedAt, String recordedBy) {
    }

    public record ContractView(UUID contractId, String customerId, String service, java.time.Instant createdAt,
            String createdBy, List<VersionView> versions) {

        static ContractView of(ContractRow row) {
            return new ContractView(row.contractId(), row.customerId(), row.service(), row.createdAt(), row.createdBy(),
                    row.versions().stream().map(v -> new VersionView(v.version(), v.regions(),
                            new MoneyJson(v.amount(), v.currency()), v.policyId(), v.effectiveFrom(), v.recordedAt(),
                            v.recordedBy())).toList());
        }
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.BILLING_ADMIN)
    @Transactional
    public Response create(@HeaderParam(IdempotentRequests.HEADER) String idempotencyKey, NewContract request) {
        Optional<String> key = IdempotentRequests.key(idempotencyKey);
        FieldErrors errors = new FieldErrors();
        if (request == null) {
            throw ProblemException.field("body", "send {customerId, service, regions, monthlyFee, policyId, effectiveFrom?}");
        }
        String hash = key.map(k -> idempotency.hashJson("POST", "/api/contracts", request)).orElse(null);
        Optional<Response> replay = idempotency.replay(caller.getName(), key, hash);
        if (replay.isPresent()) {
            return replay.get();
        }
        ContractTerms.checkCustomerAndService(errors, request.customerId(), request.service());
        ContractTerms terms = terms(errors, request.regions(), request.monthlyFee(), request.policyId(), request.effectiveFrom());
        errors.throwIfAny("Invalid contract");
        UUID id = contracts.create(request.customerId(), request.service(), terms, caller.getName());
        return answer(key, hash, "/api/contracts/" + id, get(id));
    }

    @POST
    @Path("/{contractId}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.BILLING_ADMIN)
    @Transactional
    public Response change(@HeaderParam(IdempotentRequests.HEADER) String idempotencyKey,
            @PathParam("contractId") UUID contractId, NewContractVersion request) {
        Optional<String> key = IdempotentRequests.key(idempotencyKey);
        String currency = contracts.currencyOf(contractId).orElseThrow(NotFoundException::new);
        if (request == null) {
            throw ProblemException.field("body", "send {regions, monthlyFee, policyId, effectiveFrom?}");
        }
        String hash = key.map(k -> idempotency.hashJson("POST", "/api/contracts/" + contractId + "/versions", request))
                .orElse(null);
        Optional<Response> replay = idempotency.replay(caller.getName(), key, hash);
        if (replay.isPresent()) {
            return replay.get();
        }
        FieldErrors errors = new FieldErrors();
        ContractTerms terms = terms(errors, request.regions(), request.monthlyFee(), request.policyId(), request.effectiveFrom());
        if (terms != null && !terms.currency().getCurrencyCode().equals(currency)) {
            errors.add("monthlyFee.currency", "this contract is billed in " + currency
                    + "; credits already issued are in it, so a new currency needs a new contract");
        }
        if (terms != null) {
            contracts.lastCreditedMonth(contractId).map(BillingMonth::ofFirstDay)
                    .filter(credited -> terms.effectiveFrom().compareTo(credited) <= 0)
                    .ifPresent(credited -> errors.add("effectiveFrom", "credits for " + credited
                            + " were computed with the version in force then, which stays so; a change can apply from "
                            + credited.next() + " on"));
        }
        errors.throwIfAny("Invalid contract version");
        int version = contracts.appendVersion(contractId, terms, caller.getName());
        return answer(key, hash, "/api/contracts/" + contractId + "?version=" + version, get(contractId));
    }

    /** 201 with the contract; with an Idempotency-Key, the answer is stored in this transaction first. */
    private Response answer(Optional<String> key, String hash, String location, ContractView contract) {
        if (key.isPresent()) {
            return idempotency.record(caller.getName(), key.get(), hash, 201, location, contract);
        }
        return Response.created(URI.create(location)).entity(contract).build();
    }

    @GET
    @Path("/{contractId}")
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
    public ContractView get(@PathParam("contractId") UUID contractId) {
        return contracts.find(contractId).map(ContractView::of).orElseThrow(NotFoundException::new);
    }

    @GET
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
    public Paging.Page<ContractView> list(@QueryParam("customerId") String customerId, @QueryParam("service") String service,
            @QueryParam("page") Integer page, @QueryParam("size") Integer size, @Context UriInfo uri) {
        Paging.onlyKnownParameters(uri, Set.of("customerId", "service", "page", "size"));
        Paging paging = Paging.of(page, size);
        Paging.Page<ContractRow> rows = contracts.list(customerId, service, paging);
        return paging.page(rows.items().stream().map(ContractView::of).toList(), rows.totalItems());
    }

    public record ImportResult(long imported) {
    }

    /** text/csv with the header customerId,service,regions,amount,currency,policyId,effectiveFrom; regions ';'-separated. */
    @POST
    @Path("/import")
    @Consumes(MediaType.WILDCARD) // checked below, after authentication: a stranger learns nothing, not even a 415
    @RolesAllowed(Roles.BILLING_ADMIN)
    public Response importCsv(@HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
            @HeaderParam(IdempotentRequests.HEADER) String idempotencyKey, InputStream body) {
        if (contentType == null || !(contentType.startsWith("text/csv") || contentType.startsWith(MediaType.TEXT_PLAIN))) {
            throw new NotSupportedException("Send the contracts as text/csv");
        }
        Optional<String> key = IdempotentRequests.key(idempotencyKey);
        // With a key, the body is hashed as it streams by; a file of a million lines is never held to hash it first.
        MessageDigest digest = IdempotentRequests.requestDigest("POST", "/api/contracts/import");
        InputStream hashed = key.isPresent() ? new DigestInputStream(body, digest) : body;
        if (key.isPresent() && idempotency.previous(caller.getName(), key.get(), null).isPresent()) {
            try {
                hashed.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return idempotency.replay(caller.getName(), key, IdempotentRequests.hex(digest)).orElseThrow();
        }
        ContractImport.Result result = importer.importCsv(hashed, policies.ids(), Months.orCurrent(null, clock),
                caller.getName(), (connection, imported) -> {
                    if (key.isPresent()) {
                        idempotency.store(connection, caller.getName(), key.get(), IdempotentRequests.hex(digest), 200,
                                null, new ImportResult(imported.imported()));
                    }
                });
        return Response.ok(new ImportResult(result.imported())).build();
    }

    private ContractTerms terms(FieldErrors errors, List<String> regions, MoneyJson fee, String policyId, String effectiveFrom) {
        if (fee == null) {
            errors.add("monthlyFee", "required: {amount: \"1000.00\", currency: \"USD\"}");
            return null;
        }
        return ContractTerms.parse(errors, regions, fee.amount(), fee.currency(), policyId, effectiveFrom, policies.ids(),
                Months.orCurrent(null, clock));
    }
}

package dev.incidentplatform.compensation.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.time.Clock;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
import dev.incidentplatform.compensation.contract.ContractRepository.ContractRow;
import dev.incidentplatform.compensation.domain.BillingMonth;
import dev.incidentplatform.compensation.policy.PolicyRepository;
import dev.incidentplatform.platform.http.QueryParameters;
import dev.incidentplatform.platform.http.RequestHeaders;
import dev.incidentplatform.platform.idempotency.IdempotencyRecords;
import dev.incidentplatform.platform.links.PublicLinks;
import dev.incidentplatform.platform.paging.Paging;
import dev.incidentplatform.platform.problem.FieldErrors;
import dev.incidentplatform.platform.problem.ProblemException;
import io.vertx.core.http.HttpServerRequest;

/** Customer contracts: created and changed (a new version from a month on) by billing admins, read by auditors. */
@Path("/api/contracts")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "contracts", description = "Customer contracts and their versions; CSV import")
public class ContractResource {

    private final ContractRepository contracts;
    private final ContractImport importer;
    private final PolicyRepository policies;
    private final IdempotentAnswers idempotency;
    private final JsonWebToken caller;
    private final Clock clock;

    public ContractResource(ContractRepository contracts, ContractImport importer, PolicyRepository policies,
            IdempotentAnswers idempotency, JsonWebToken caller, Clock clock) {
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
    @Operation(operationId = "createContract", summary = "Create a contract (version 1)")
    @APIResponse(responseCode = "201", description = "The contract, created", headers = {
            @Header(name = "Location", description = "/api/contracts/{contractId}", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "ETag", description = "A strong validator of this body", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Idempotent-Replayed", description = "true when this is the stored answer to a repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ContractView.class)))
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key was answered first, at the same time; send it again")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used before for a different request")
    public Response create(@HeaderParam(RequestHeaders.IDEMPOTENCY_KEY) @Parameter(description = "1 to 255 visible ASCII characters; a repeated request with the same key gets the first answer", schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$")) String idempotencyKey, NewContract request) {
        Optional<String> key = IdempotencyRecords.key(idempotencyKey);
        FieldErrors errors = new FieldErrors();
        if (request == null) {
            throw ProblemException.field("body", "send {customerId, service, regions, monthlyFee, policyId, effectiveFrom?}");
        }
        String hash = idempotency.fingerprint(key, "POST", "/api/contracts", request);
        Optional<Response> replay = idempotency.replay(caller.getName(), key, hash);
        if (replay.isPresent()) {
            return replay.get();
        }
        ContractTerms.checkCustomerAndService(errors, request.customerId(), request.service());
        ContractTerms terms = terms(errors, request.regions(), request.monthlyFee(), request.policyId(), request.effectiveFrom());
        errors.throwIfAny("Invalid contract");
        UUID id = contracts.create(request.customerId(), request.service(), terms, caller.getName());
        return answer(key, hash, PublicLinks.location("api", "contracts", id.toString()), get(id));
    }

    @POST
    @Path("/{contractId}/versions")
    @Consumes(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.BILLING_ADMIN)
    @Transactional
    @Operation(operationId = "addContractVersion", summary = "Change a contract from a month on (a new version)")
    @APIResponse(responseCode = "201", description = "The contract with its new version", headers = {
            @Header(name = "Location", description = "/api/contracts/{contractId}?version={version}", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "ETag", description = "A strong validator of this body", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Idempotent-Replayed", description = "true when this is the stored answer to a repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")) },
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ContractView.class)))
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key was answered first, at the same time; send it again")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used before for a different request")
    public Response change(@HeaderParam(RequestHeaders.IDEMPOTENCY_KEY) @Parameter(description = "1 to 255 visible ASCII characters; a repeated request with the same key gets the first answer", schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$")) String idempotencyKey,
            @PathParam("contractId") UUID contractId, NewContractVersion request) {
        Optional<String> key = IdempotencyRecords.key(idempotencyKey);
        String currency = contracts.currencyOf(contractId).orElseThrow(NotFoundException::new);
        if (request == null) {
            throw ProblemException.field("body", "send {regions, monthlyFee, policyId, effectiveFrom?}");
        }
        String hash = idempotency.fingerprint(key, "POST", "/api/contracts/" + contractId + "/versions", request);
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
        return answer(key, hash, PublicLinks.location(PublicLinks.location("api", "contracts", contractId.toString()),
                Map.of("version", Integer.toString(version))), get(contractId));
    }

    /** 201 with the contract; with an Idempotency-Key, the answer is stored in this transaction first. */
    private Response answer(Optional<String> key, String hash, String location, ContractView contract) {
        return idempotency.created(caller.getName(), key, hash, location, contract);
    }

    @GET
    @Path("/{contractId}")
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
    @Operation(operationId = "getContract", summary = "A contract with all its versions")
    @APIResponse(responseCode = "200", description = "The contract", content = @Content(mediaType = "application/json", schema = @Schema(implementation = ContractView.class)))
    public ContractView get(@PathParam("contractId") UUID contractId) {
        return contracts.find(contractId).map(ContractView::of).orElseThrow(NotFoundException::new);
    }

    @GET
    @RolesAllowed({ Roles.BILLING_AUDITOR, Roles.BILLING_ADMIN })
    @Operation(operationId = "listContracts", summary = "Contracts, by customer and service")
    @Parameter(name = "page", in = ParameterIn.QUERY, description = Paging.PAGE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "0", maximum = Paging.MAX_PAGE_TEXT))
    @Parameter(name = "size", in = ParameterIn.QUERY, description = Paging.SIZE_DESCRIPTION, schema = @Schema(type = SchemaType.INTEGER, minimum = "1", maximum = Paging.MAX_SIZE_TEXT))
    public Paging.Page<ContractView> list(@QueryParam("customerId") String customerId, @QueryParam("service") String service,
            @Context UriInfo uri, @Context HttpServerRequest http) {
        QueryParameters.onlyKnown(uri, Set.of("customerId", "service", "page", "size"));
        FieldErrors errors = new FieldErrors();
        Names.checkFilter(errors, "customerId", customerId, Names.CUSTOMER_ID, Names.CUSTOMER_ID_RULE);
        Names.checkFilter(errors, "service", service, Names.SERVICE, Names.SERVICE_RULE);
        errors.throwIfAny("Invalid filter");
        Paging paging = Paging.of(http);
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
    @Operation(operationId = "importContracts", summary = "Import contracts from CSV, all lines or none")
    @RequestBody(required = true, description = "RFC 4180 CSV in UTF-8 (no byte order mark), header "
            + "customerId,service,regions,amount,currency,policyId,effectiveFrom; regions separated by ';'",
            content = { @Content(mediaType = "text/csv", schema = @Schema(type = SchemaType.STRING)),
                    @Content(mediaType = "text/plain", schema = @Schema(type = SchemaType.STRING)) })
    @APIResponse(responseCode = "200", description = "Every line was imported", headers = @Header(name = "Idempotent-Replayed",
            description = "true when this is the stored answer to a repeated Idempotency-Key", schema = @Schema(type = SchemaType.STRING, enumeration = "true")),
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = ImportResult.class)))
    @APIResponse(responseCode = "400", description = "Lines are invalid (errors lists the first 100 by line, errorCount all) or the body is not RFC 4180 CSV; nothing was imported")
    @APIResponse(responseCode = "409", description = "A request with the same Idempotency-Key was answered first, at the same time; send it again")
    @APIResponse(responseCode = "422", description = "The Idempotency-Key was used before for a different request")
    public Response importCsv(@HeaderParam(HttpHeaders.CONTENT_TYPE) @Parameter(hidden = true) String contentType,
            @HeaderParam(RequestHeaders.IDEMPOTENCY_KEY) @Parameter(description = "1 to 255 visible ASCII characters; a repeated request with the same key gets the first answer", schema = @Schema(type = SchemaType.STRING, pattern = "^[\\x21-\\x7E]{1,255}$")) String idempotencyKey, @Parameter(hidden = true) InputStream body) {
        Charset charset = requireCsv(contentType);
        Optional<String> key = IdempotencyRecords.key(idempotencyKey);
        // With a key, the body is hashed as it streams by; a file of a million lines is never held to hash it first.
        MessageDigest digest = IdempotencyRecords.fingerprint("POST", "/api/contracts/import");
        InputStream hashed = key.isPresent() ? new DigestInputStream(body, digest) : body;
        if (idempotency.replay(caller.getName(), key, null).isPresent()) {
            try {
                hashed.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return idempotency.replay(caller.getName(), key, IdempotencyRecords.hex(digest)).orElseThrow();
        }
        ContractImport.Result result = importer.importCsv(hashed, charset, policies.ids(), Months.orCurrent(null, clock),
                caller.getName(), (connection, imported) -> {
                    if (key.isPresent()) {
                        idempotency.store(connection, caller.getName(), key.get(), IdempotencyRecords.hex(digest),
                                new ImportResult(imported.imported()));
                    }
                });
        return Response.ok(new ImportResult(result.imported())).build();
    }

    /** The charsets an import is read in: UTF-8 (the default) and the two it contains. */
    private static final Map<String, Charset> CSV_CHARSETS = Map.of("utf-8", StandardCharsets.UTF_8, "us-ascii",
            StandardCharsets.US_ASCII, "iso-8859-1", StandardCharsets.ISO_8859_1);

    /**
     * The import reads text/csv (or text/plain) and nothing else: not {@code text/csvx}, not a missing type; in the
     * charset the type names (UTF-8 when it names none; another than UTF-8, US-ASCII or ISO-8859-1 is refused, as
     * its bytes would be read wrongly). 415 otherwise.
     */
    static Charset requireCsv(String contentType) {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        boolean csv = type != null && type.getType().equalsIgnoreCase("text")
                && (type.getSubtype().equalsIgnoreCase("csv") || type.getSubtype().equalsIgnoreCase("plain"));
        String charset = type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
        Charset read = charset == null ? StandardCharsets.UTF_8 : CSV_CHARSETS.get(charset.toLowerCase(Locale.ROOT));
        if (!csv || read == null) {
            throw new NotSupportedException();
        }
        return read;
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

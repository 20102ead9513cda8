package dev.incidentplatform.platform.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.jwt.JsonWebToken;

import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;

/**
 * Refuses a bearer token issued in the future (beyond {@code platform.jwt.max-issued-at-skew}): SmallRye JWT checks
 * expiry, the lifetime ({@code smallrye.jwt.time-to-live}) and the audience ({@code mp.jwt.verify.audiences}), but
 * not that {@code iat} is not ahead of the clock, and a token minted with a wrong clock could otherwise outlive its
 * stated lifetime.
 */
@ApplicationScoped
public class TokenTimeRules implements SecurityIdentityAugmentor {

    private final Duration maxIssuedAtSkew;
    private final Clock clock;

    @Inject
    public TokenTimeRules(@ConfigProperty(name = "platform.jwt.max-issued-at-skew", defaultValue = "PT60S") Duration maxIssuedAtSkew) {
        this(maxIssuedAtSkew, Clock.systemUTC());
    }

    TokenTimeRules(Duration maxIssuedAtSkew, Clock clock) {
        this.maxIssuedAtSkew = maxIssuedAtSkew;
        this.clock = clock;
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (identity.getPrincipal() instanceof JsonWebToken token && issuedInTheFuture(token.getIssuedAtTime())) {
            return Uni.createFrom().failure(new AuthenticationFailedException("The token is issued in the future"));
        }
        return Uni.createFrom().item(identity);
    }

    /** {@code iat} in seconds since the epoch (0 when absent); true when it lies beyond the allowed skew. */
    boolean issuedInTheFuture(long issuedAtSeconds) {
        return issuedAtSeconds > 0 && Instant.ofEpochSecond(issuedAtSeconds).isAfter(clock.instant().plus(maxIssuedAtSkew));
    }
}

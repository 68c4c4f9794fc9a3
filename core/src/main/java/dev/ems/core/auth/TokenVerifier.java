package dev.ems.core.auth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies bearer tokens: JWS signed with RS256 or ES256 (never {@code none}, never an HMAC, whatever the token's
 * header says) by a key of the issuer's JWKS found by {@code kid}; {@code iss} and {@code aud} as configured; {@code
 * exp} and {@code nbf} with at most {@value #CLOCK_SKEW_SECONDS} s of clock skew; {@code sub} present.
 * <p>
 * The JWKS is fetched on first use and cached; a token signed by an unknown {@code kid} refetches it (key rotation
 * without a restart), at most twice per {@link #JWKS_MIN_REFETCH}, so that a flood of made-up key ids cannot make the
 * service hammer the issuer. A verified token is remembered until it expires (at most {@value #MAX_REMEMBERED} of
 * them), so a client's next request with it costs a lookup, not a signature check.
 */
public final class TokenVerifier {
    static final int CLOCK_SKEW_SECONDS = 60;
    static final int MAX_REMEMBERED = 10_000;
    static final Duration JWKS_MIN_REFETCH = Duration.ofSeconds(30);
    private static final Duration JWKS_CACHE = Duration.ofMinutes(15);
    private static final int JWKS_TIMEOUT_MS = 2_000;
    private static final int JWKS_MAX_BYTES = 256 * 1024;
    /** Longer than any sane bearer token; a longer one is refused unread. */
    static final int MAX_TOKEN_LENGTH = 8 * 1024;

    private final DefaultJWTProcessor<SecurityContext> processor;
    private final String rolesClaim;
    private final AuthSettings settings;
    private final Clock clock;
    private final Cache<String, Verified> verified;

    TokenVerifier(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        this.rolesClaim = settings.rolesClaim();
        this.settings = settings;
        this.clock = clock;
        this.processor = new DefaultJWTProcessor<>();
        // "JWT" (RFC 7519), "at+jwt" (RFC 9068, access tokens) or none; anything else is not an access token
        processor.setJWSTypeVerifier(
                new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT, new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(
                new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(
                settings.audience(),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(),
                Set.of("sub", "exp"));
        claims.setMaxClockSkew(CLOCK_SKEW_SECONDS);
        processor.setJWTClaimsSetVerifier(claims);
        this.verified = Caffeine.newBuilder()
                .maximumSize(MAX_REMEMBERED)
                .expireAfter(Expiry.<String, Verified>creating(
                        (token, entry) -> Duration.between(this.clock.instant(), entry.expiry())))
                .build();
    }

    /** The verifier of the issuer in {@code settings}, with its JWKS fetched over HTTP (built once, at start). */
    public static TokenVerifier create(AuthSettings settings) {
        return new TokenVerifier(settings, remoteKeys(settings, JWKS_MIN_REFETCH), Clock.systemUTC());
    }

    /** As {@link #create(AuthSettings)}, with keys from elsewhere (a key set held in memory, a test's issuer). */
    public static TokenVerifier create(AuthSettings settings, JWKSource<SecurityContext> keys, Clock clock) {
        return new TokenVerifier(settings, keys, clock);
    }

    /**
     * The issuer's JWKS over HTTP: cached, refetched for an unknown kid at most twice per {@code minRefetch} (nimbus's
     * rate limit keeps a second fetch for a rotation that follows a refresh).
     */
    static JWKSource<SecurityContext> remoteKeys(AuthSettings settings, Duration minRefetch) {
        try {
            return JWKSourceBuilder.<SecurityContext>create(
                            settings.jwksUri().toURL(),
                            new DefaultResourceRetriever(JWKS_TIMEOUT_MS, JWKS_TIMEOUT_MS, JWKS_MAX_BYTES))
                    .cache(JWKS_CACHE.toMillis(), JWKS_TIMEOUT_MS)
                    .rateLimited(minRefetch.toMillis())
                    .retrying(false)
                    .build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("JWKS URI " + settings.jwksUri(), e);
        }
    }

    /**
     * The caller {@code token} proves. Throws {@link InvalidTokenException} for a token that proves nothing, saying
     * why in fixed words (never the token's content), and {@link IssuerUnavailableException} when the issuer's keys
     * cannot be fetched to check it.
     */
    public Caller verify(String token) {
        if (token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("too long");
        }
        Verified known = verified.getIfPresent(token);
        if (known != null && known.expiry().isAfter(clock.instant())) {
            return known.caller();
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new InvalidTokenException("not a JWT");
        } catch (BadJOSEException e) {
            throw new InvalidTokenException(reason(e));
        } catch (RateLimitReachedException e) {
            // an unknown kid while the JWKS was refetched moments ago: no such key
            throw new InvalidTokenException("unknown signing key");
        } catch (KeySourceException e) {
            throw new IssuerUnavailableException();
        } catch (JOSEException e) {
            throw new InvalidTokenException("signature not verifiable");
        }
        Caller caller = caller(claims);
        verified.put(token, new Verified(caller, claims.getExpirationTime().toInstant()));
        return caller;
    }

    /** Nimbus's message, reduced to a few fixed words for the log (its messages may quote claims). */
    private static String reason(BadJOSEException e) {
        String message = String.valueOf(e.getMessage());
        if (message.startsWith("Expired")) {
            return "expired";
        }
        if (message.contains("before use time")) {
            return "not yet valid";
        }
        if (message.contains("missing required")) {
            return "missing required claims";
        }
        if (message.contains("aud claim")) {
            return "wrong audience";
        }
        if (message.contains("iss claim")) {
            return "wrong issuer";
        }
        if (message.contains("Unsecured") || message.contains("algorithm") || message.contains("no matching key")) {
            return "algorithm or key not accepted";
        }
        if (message.contains("Invalid signature")) {
            return "bad signature";
        }
        return "rejected";
    }

    private Caller caller(JWTClaimsSet claims) {
        Set<Caller.Role> roles = EnumSet.noneOf(Caller.Role.class);
        roles(claims).forEach(name -> Caller.Role.fromClaim(name).ifPresent(roles::add));
        Optional<String> service = roles.contains(Caller.Role.SERVICE)
                ? firstString(claims, "azp", "client_id", "sub").map(this.settings::serviceName)
                : Optional.empty();
        return new Caller(claims.getSubject(), roles, service);
    }

    /** The strings at the roles claim's dotted path; anything else there (a number, an object) counts as none. */
    private List<String> roles(JWTClaimsSet claims) {
        Object node = claims.getClaims();
        for (String part : rolesClaim.split("\\.", -1)) {
            node = node instanceof Map<?, ?> map ? map.get(part) : null;
        }
        if (!(node instanceof List<?> list)) {
            return List.of();
        }
        return list.stream()
                .filter(String.class::isInstance)
                .map(String.class::cast)
                .toList();
    }

    private static Optional<String> firstString(JWTClaimsSet claims, String... names) {
        for (String name : names) {
            if (claims.getClaim(name) instanceof String value && !value.isBlank()) {
                return Optional.of(value);
            }
        }
        return Optional.empty();
    }

    private record Verified(Caller caller, Instant expiry) {}
}

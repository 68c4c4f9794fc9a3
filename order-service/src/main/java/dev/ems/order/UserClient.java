package dev.ems.order;

import dev.ems.core.auth.ServiceCredentials;
import dev.ems.core.config.Durations;
import dev.ems.core.http.ApiException;
import dev.ems.core.http.Json;
import dev.ems.core.http.OutboundHttp;
import dev.ems.core.http.RequestContext;
import dev.ems.core.http.RequestOrigin;
import dev.ems.core.server.Periodic;
import dev.ems.core.tracing.Tracing;
import io.helidon.config.Config;
import io.helidon.faulttolerance.Bulkhead;
import io.helidon.faulttolerance.BulkheadException;
import io.helidon.faulttolerance.CircuitBreaker;
import io.helidon.faulttolerance.CircuitBreakerOpenException;
import io.helidon.faulttolerance.FaultTolerance;
import io.helidon.faulttolerance.FtHandlerTyped;
import io.helidon.faulttolerance.Retry;
import io.helidon.faulttolerance.Timeout;
import io.helidon.faulttolerance.TimeoutException;
import io.helidon.health.HealthCheckResponse;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.metrics.api.Counter;
import io.helidon.metrics.api.Gauge;
import io.helidon.metrics.api.Metrics;
import io.helidon.metrics.api.Timer;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Scope;
import jakarta.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * user-service as order-service sees it: {@code GET /api/v1/users/{id}} over a Helidon WebClient (connect and read
 * timeouts), inside Helidon FT: a Bulkhead around a CircuitBreaker around a per-call Timeout around a Retry (once,
 * for an answer that cannot be read as HTTP or a pooled connection that failed). Built once at start.
 * <p>
 * Only dependency failures count against the breaker (5xx, 429, timeouts, refused connections); a 404 is an
 * answer. Whenever the dependency cannot answer (down, slow, breaker open, bulkhead full) callers get
 * 503 USER_SERVICE_UNAVAILABLE with Retry-After, at once when the breaker is open.
 * <p>
 * The CIRCUIT_BREAKER_* settings map onto Helidon's breaker: CIRCUIT_BREAKER_TIMEOUT is its {@code delay} (open to
 * half-open), CIRCUIT_BREAKER_MAX_REQUESTS its {@code successThreshold} (trial calls in half-open, one at a time,
 * all of which must succeed to close it; any failure re-opens it), and CIRCUIT_BREAKER_INTERVAL clears the
 * failure window periodically while closed, so that failures long past stop counting (Helidon's window itself is
 * the last {@code volume} calls, opening at {@code error-ratio} percent failures).
 */
public final class UserClient implements AutoCloseable {
    private static final System.Logger LOGGER = System.getLogger(UserClient.class.getName());
    static final String DEPENDENCY = "user-service";
    private static final String BULKHEAD_REJECTIONS = "Calls to a dependency rejected because its bulkhead was full";
    private static final Duration[] BUCKETS = {
        Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
        Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
        Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5)
    };

    private final WebClient http;
    private final ServiceCredentials credentials;
    private final Tracing tracing;
    private final CircuitBreaker breaker;
    private final Bulkhead bulkhead;
    private final FtHandlerTyped<Optional<UserSummary>> ft;
    private final Duration breakerDelay;
    private final Duration callTimeout;
    private final Periodic windowReset;
    private final String metricPrefix;

    private UserClient(
            Config settings,
            Config breakerSettings,
            ServiceCredentials credentials,
            Tracing tracing,
            String metricPrefix) {
        this.credentials = credentials;
        this.tracing = tracing;
        this.metricPrefix = metricPrefix;
        this.http = OutboundHttp.builder()
                .baseUri(settings.get("url").asString().get())
                .connectTimeout(Durations.of(settings.get("connect-timeout")))
                .readTimeout(Durations.of(settings.get("read-timeout")))
                .addHeader(HeaderValues.ACCEPT_JSON)
                .build();
        this.breakerDelay = Durations.of(breakerSettings.get("timeout"));
        // on the caller's thread, interrupted at the deadline: a timed-out call really ends (with its bulkhead permit),
        // instead of going on in the background while the bulkhead lets the next one in
        this.callTimeout = Durations.of(settings.get("timeout"));
        Timeout timeout = Timeout.builder()
                .name(DEPENDENCY)
                .timeout(callTimeout)
                .currentThread(true)
                .build();
        this.breaker = CircuitBreaker.builder()
                .name(DEPENDENCY)
                .volume(breakerSettings.get("volume").asInt().get())
                .errorRatio(breakerSettings.get("error-ratio").asInt().get())
                .delay(breakerDelay)
                .successThreshold(breakerSettings.get("max.requests").asInt().get())
                .build();
        this.bulkhead = Bulkhead.builder()
                .name(DEPENDENCY)
                .limit(settings.get("bulkhead.limit").asInt().get())
                .queueLength(settings.get("bulkhead.queue").asInt().get())
                .build();
        // a lookup is a GET: one more try, at once, when the answer could not be read as HTTP (bench/run saw an answer
        // arrive without its first byte 2-3 times in 6000 orders) or the pooled connection failed, not user-service
        // (bench/scale saw it); never after a timeout or an answer with a status, which the breaker is there to count
        Retry retry = Retry.builder()
                .name(DEPENDENCY)
                .calls(2)
                .delay(Duration.ZERO)
                .overallTimeout(callTimeout)
                .addApplyOn(IllegalStateException.class)
                .addApplyOn(OutboundHttp.StaleConnection.class)
                .build();
        // the first handler added is the innermost: Retry inside Timeout inside CircuitBreaker inside Bulkhead, so
        // both tries share one deadline, one bulkhead permit and one outcome for the breaker
        this.ft = FaultTolerance.<Optional<UserSummary>>typedBuilder()
                .addRetry(retry)
                .addTimeout(timeout)
                .addBreaker(breaker)
                .addBulkhead(bulkhead)
                .build();
        Duration interval = Durations.of(breakerSettings.get("interval"));
        // CIRCUIT_BREAKER_INTERVAL: while closed, forget old failures now and then. Helidon offers no atomic "reset if
        // closed"; should the breaker open between the check and the reset, it closes again and needs a full new
        // window of failures to re-open: a microsecond race per interval, accepted for not locking every call
        this.windowReset = Periodic.start("user-service-breaker-window", interval, () -> {
            if (breaker.state() == CircuitBreaker.State.CLOSED) {
                breaker.state(CircuitBreaker.State.CLOSED);
            }
        });
        Metrics.globalRegistry()
                .getOrCreate(Gauge.builder(metricPrefix + "circuit_breaker_state", breaker, UserClient::stateValue)
                        .description("user-service breaker: 0 closed, 1 open, 2 half-open")
                        .tags(Metrics.tags("service", DEPENDENCY)));
        // exported from the start (at 0), so that rate() and dashboards see the first rejection
        counter("bulkhead_rejections_total", BULKHEAD_REJECTIONS);
    }

    /**
     * A client of user-service with its own circuit breaker, bulkhead and metrics.
     *
     * @param settings        {@code order.service.user.service} (url, timeouts, bulkhead)
     * @param breakerSettings {@code circuit.breaker} (the CIRCUIT_BREAKER_* variables)
     * @param credentials     the calling service's own token (user-service takes only authenticated calls)
     * @param service         the calling service's name, for metric names
     */
    public static UserClient create(
            Config settings, Config breakerSettings, ServiceCredentials credentials, Tracing tracing, String service) {
        return new UserClient(settings, breakerSettings, credentials, tracing, service.replace('-', '_') + "_");
    }

    /** The user, or empty when user-service says it does not exist (404); the call carries the origin's request id. */
    public Optional<UserSummary> find(UUID userId, RequestOrigin origin) {
        Optional<String> requestId = Optional.ofNullable(origin.requestId());
        long start = System.nanoTime();
        String outcome = "failure";
        // a client span, child of the request's: the W3C context goes out with the call, and the fault tolerance's
        // verdicts (breaker open, bulkhead full, timeout) show up on it as events
        Span span = tracing.tracer()
                .spanBuilder("GET /api/v1/users/{id}")
                .setSpanKind(SpanKind.CLIENT)
                .setAttribute("peer.service", DEPENDENCY)
                .setAttribute(
                        "ems.circuit_breaker.state", breaker.state().name().toLowerCase(Locale.ROOT))
                .startSpan();
        try (Scope scope = span.makeCurrent()) {
            Optional<UserSummary> user = ft.invoke(() -> fetch(userId, requestId));
            outcome = user.isPresent() ? "found" : "not_found";
            return user;
        } catch (CircuitBreakerOpenException e) {
            outcome = "rejected";
            span.addEvent("circuit breaker open");
            throw unavailable(
                    "user-service is failing; calls are suspended by the circuit breaker",
                    Math.max(1, breakerDelay.toSeconds()));
        } catch (BulkheadException e) {
            outcome = "rejected";
            span.addEvent("bulkhead full");
            counter("bulkhead_rejections_total", BULKHEAD_REJECTIONS).increment();
            throw unavailable("user-service is saturated; try again shortly", 1);
        } catch (RuntimeException e) {
            // the interrupt at the deadline may surface as the I/O error it caused, before the Timeout names it
            boolean timedOut = e instanceof TimeoutException
                    || Duration.ofNanos(System.nanoTime() - start).compareTo(callTimeout) >= 0;
            span.addEvent(timedOut ? "timeout" : "failed");
            span.setAttribute("error.type", e.getClass().getName());
            // the client gets a fixed message; the operator needs the cause (an I/O error, a broken answer)
            LOGGER.log(
                    System.Logger.Level.WARNING,
                    "user-service call failed" + (timedOut ? " (timed out)" : "") + ": " + e);
            throw unavailable("user-service did not answer", 2);
        } finally {
            span.setAttribute("ems.outcome", outcome);
            if (outcome.equals("failure") || outcome.equals("rejected")) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
            Metrics.globalRegistry()
                    .getOrCreate(Timer.builder(metricPrefix + "dependency_request_duration_seconds")
                            .description("Calls to dependencies by outcome")
                            .buckets(BUCKETS)
                            .tags(Metrics.tags("service", DEPENDENCY, "outcome", outcome)))
                    .record(Duration.ofNanos(System.nanoTime() - start));
        }
    }

    /** Always UP (user-service being down must not make order-service unready); shows the breaker and bulkhead. */
    public HealthCheckResponse health() {
        Bulkhead.Stats stats = bulkhead.stats();
        return HealthCheckResponse.builder()
                .status(true)
                .detail("circuit_breaker", breaker.state().name().toLowerCase(Locale.ROOT))
                .detail("bulkhead_in_flight", stats.concurrentExecutions())
                .detail("bulkhead_queued", stats.waitingQueueSize())
                .detail("bulkhead_rejected", stats.callsRejected())
                .build();
    }

    @Override
    public void close() {
        windowReset.close();
        http.closeResource();
    }

    private Optional<UserSummary> fetch(UUID userId, Optional<String> requestId) {
        // inside the fault tolerance: a token endpoint that fails counts against the breaker like user-service failing
        var request =
                http.get("/api/v1/users/" + userId).header(HeaderNames.AUTHORIZATION, credentials.authorization());
        requestId.ifPresent(id -> request.header(RequestContext.REQUEST_ID, id));
        tracing.inject(request, (call, name, value) -> call.header(HeaderNames.create(name), value));
        try (HttpClientResponse res = OutboundHttp.request(request)) {
            int status = res.status().code();
            Span.current().setAttribute("http.response.status_code", status);
            if (status == 404) {
                return Optional.empty();
            }
            if (status == 401 || status == 403) {
                credentials.forget(); // the next call fetches a new token
            }
            if (status != 200) {
                throw new DependencyFailure("user-service answered " + status);
            }
            JsonObject data = Json.parseObject(res.as(String.class)).getJsonObject("data");
            UUID id = UUID.fromString(data.getString("id"));
            if (!id.equals(userId)) {
                // an answer meant for another call must never decide this order
                throw new DependencyFailure("user-service answered for another user");
            }
            return Optional.of(new UserSummary(
                    id,
                    data.getString("status"),
                    data.containsKey("subject") && !data.isNull("subject")
                            ? Optional.of(data.getString("subject"))
                            : Optional.empty()));
        }
    }

    private Counter counter(String name, String description) {
        return Metrics.globalRegistry()
                .getOrCreate(Counter.builder(metricPrefix + name)
                        .description(description)
                        .tags(Metrics.tags("service", DEPENDENCY)));
    }

    private static ApiException unavailable(String message, long retryAfterSeconds) {
        return new ApiException(
                OrderErrorCode.USER_SERVICE_UNAVAILABLE,
                message,
                List.of(),
                Map.of(HeaderNames.RETRY_AFTER.defaultCase(), String.valueOf(retryAfterSeconds)));
    }

    private static double stateValue(CircuitBreaker breaker) {
        return switch (breaker.state()) {
            case CLOSED -> 0;
            case OPEN -> 1;
            case HALF_OPEN -> 2;
        };
    }

    /** What order-service needs of a user: that it exists, and its status. */
    public record UserSummary(UUID id, String status, Optional<String> subject) {}

    /** user-service answered, but with a failure (5xx, 429...): counts against the breaker. */
    static final class DependencyFailure extends RuntimeException {
        DependencyFailure(String message) {
            super(message, null, false, false);
        }
    }
}

package dev.ems.core.server;

import dev.ems.core.audit.OutboxRelay;
import dev.ems.core.auth.AuthSettings;
import dev.ems.core.auth.ServiceCredentials;
import dev.ems.core.auth.TokenVerifier;
import dev.ems.core.config.Durations;
import dev.ems.core.config.StartupException;
import dev.ems.core.db.Database;
import dev.ems.core.filter.AccessLogFilter;
import dev.ems.core.filter.AuthenticationFilter;
import dev.ems.core.filter.ConcurrencyLimitFilter;
import dev.ems.core.filter.CorsFilter;
import dev.ems.core.filter.DatabaseReadyFilter;
import dev.ems.core.filter.MetricsFilter;
import dev.ems.core.filter.RateLimitFilter;
import dev.ems.core.filter.RequestIdFilter;
import dev.ems.core.filter.StrictRequestFilter;
import dev.ems.core.filter.TracingFilter;
import dev.ems.core.http.BodyDeadline;
import dev.ems.core.http.ErrorHandlers;
import dev.ems.core.log.LogLevels;
import dev.ems.core.log.Logging;
import dev.ems.core.tracing.Tracing;
import io.helidon.common.context.Context;
import io.helidon.config.Config;
import io.helidon.config.ConfigException;
import io.helidon.dbclient.DbClient;
import io.helidon.health.HealthCheckResponse;
import io.helidon.health.HealthCheckType;
import io.helidon.http.DirectHandler;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.http.DirectHandlers;
import io.helidon.webserver.http.HttpRouting;
import io.helidon.webserver.http1.Http1Config;
import io.helidon.webserver.observe.ObserveFeature;
import io.helidon.webserver.observe.health.HealthObserver;
import io.helidon.webserver.observe.health.HealthObserverConfig;
import io.helidon.webserver.observe.metrics.MetricsObserver;
import java.time.Duration;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The bootstrap every EMS service shares: its settings, its database, and a web server with the common filters
 * (in the order a request meets them), the error envelope, health and metrics endpoints, and a graceful shutdown.
 * <p>
 * A service's settings live under its name with dots ({@code user-service} reads {@code user.service.*}), so the
 * environment variables ({@code USER_SERVICE_PORT}, {@code USER_SERVICE_DB_HOST}...) override them directly.
 */
public final class ServiceRuntime implements AutoCloseable {
    private static final System.Logger LOGGER = Logging.logger(ServiceRuntime.class);

    private final String name;
    private final Config config;
    private final Config settings;
    private final Database database;
    private final AuthSettings auth;
    private final TokenVerifier tokens;
    private final Tracing tracing;
    private final Optional<ServiceCredentials> credentials;
    private final Duration drain;
    private final List<NamedCheck> healthChecks = new CopyOnWriteArrayList<>();
    private final Deque<AutoCloseable> toCloseAtShutdown = new ConcurrentLinkedDeque<>();
    private final AtomicBoolean stopping = new AtomicBoolean();
    private volatile boolean draining;

    private ServiceRuntime(String name, Config config) {
        this.name = name;
        this.config = config;
        this.settings = config.get(name.replace('-', '.'));
        // read at start, so that a bad value fails now and not inside the shutdown hook
        this.drain = Durations.of(settings.get("shutdown.drain"));
        // the first registered, so closed last: the spans of the service's last work are exported
        this.tracing = closeAtShutdown(Tracing.create(name, config));
        // the issuer before the database: a service that could not tell its callers apart must not start at all
        this.auth = AuthSettings.from(config, name);
        this.tokens = TokenVerifier.create(auth);
        // its client secret too (a service that calls others has <service>.auth.client), before the database opens
        Config client = settings.get("auth.client");
        this.credentials = client.exists()
                ? Optional.of(closeAtShutdown(ServiceCredentials.create(auth, client)))
                : Optional.empty();
        this.database = Database.start(name, settings.get("db"), config.get("db"), tracing);
    }

    /**
     * A service's {@code main}: loads the config (system properties, environment, {@code application-<profile>.yaml},
     * {@code application.yaml}), configures logging and runs {@code start}. A {@link StartupException} (a missing or
     * unsafe secret, a missing part) or a setting that is missing or of the wrong type ends the JVM with status 1
     * after one log line that says what to fix. Every setting's default is in {@code application.yaml}, none in code.
     */
    public static void run(String name, Consumer<Config> start) {
        VirtualThreadCarriers.configure(); // before any virtual thread starts
        Config config = Config.create();
        Config.global(config);
        try {
            configureLogging(name, config);
            start.accept(config);
        } catch (StartupException e) {
            exit(name, e);
        } catch (ConfigException e) {
            exit(name, StartupException.of(e));
        }
    }

    private static void exit(String name, StartupException e) {
        LOGGER.log(System.Logger.Level.ERROR, name + " cannot start: " + e.getMessage());
        System.exit(1);
    }

    /** Configures logging and opens the database (starting the embedded one in the {@code local} profile). */
    public static ServiceRuntime create(String name, Config config) {
        configureLogging(name, config);
        return new ServiceRuntime(name, config);
    }

    private static void configureLogging(String name, Config config) {
        Config settings = config.get(name.replace('-', '.'));
        Logging.configure(
                name, LogLevels.parse(settings.get("log.level").asString().get()));
    }

    public String name() {
        return name;
    }

    public Config settings() {
        return settings;
    }

    /** The whole config, for settings outside the service's own key (e.g. order-service's {@code circuit.breaker}). */
    public Config config() {
        return config;
    }

    /** The service's tracing (OpenTelemetry), for outbound calls to carry the trace on. */
    public Tracing tracing() {
        return tracing;
    }

    public DbClient db() {
        return database.client();
    }

    /**
     * This service's own token for its calls to other services (client credentials under {@code
     * <service>.auth.client}: {@code id}, the secret {@code secret}, {@code timeout}), one per service.
     */
    public ServiceCredentials serviceCredentials() {
        return credentials.orElseThrow(() -> new IllegalStateException(
                name + " has no client credentials: " + settings.key() + ".auth.client is not configured"));
    }

    /**
     * Starts delivering this service's audit outbox to audit-log-service (settings under {@code <service>.audit}),
     * authenticated as this service, with its backlog in /health and /metrics; it stops with the service. Call before
     * {@link #setup}/{@link #start}. Every replica starts one; of those, one at a time delivers ({@link OutboxRelay}).
     */
    public OutboxRelay startAuditRelay() {
        OutboxRelay relay =
                closeAtShutdown(OutboxRelay.start(name, db(), settings.get("audit"), serviceCredentials(), tracing));
        addReadinessCheck("audit-outbox", relay::health);
        return relay;
    }

    /**
     * Runs {@code task} every {@code interval} in the background until the service stops, on every replica: a task
     * that must run once per deployment takes a database lock itself (an advisory lock, SKIP LOCKED claims), never
     * an assumption about which replica it runs on.
     */
    public Periodic every(String taskName, Duration interval, Runnable task) {
        return closeAtShutdown(Periodic.start(taskName, interval, task));
    }

    /**
     * Closes {@code resource} when the service stops (after the server, before the database; the last registered
     * first), so that background work never outlives the service or runs against a closed pool.
     */
    public <T extends AutoCloseable> T closeAtShutdown(T resource) {
        toCloseAtShutdown.add(resource);
        return resource;
    }

    /**
     * Adds a named readiness check (before {@link #setup} or {@link #start}). A check about a dependency the service
     * can work without answers UP with details, so that its outage never cascades into this service being unready.
     */
    public ServiceRuntime addReadinessCheck(String name, Supplier<HealthCheckResponse> check) {
        healthChecks.add(new NamedCheck(name, check));
        return this;
    }

    /**
     * The service's server, all but its port and lifecycle: settings, filters, error envelopes, health and metrics.
     * {@link #start} builds on it; a test's {@code @SetUpServer} calls it too, so that every test runs behind exactly
     * the production filter chain rather than a copy of it.
     *
     * @param routes the service's own routes
     */
    public void setup(WebServerConfig.Builder server, Consumer<HttpRouting.Builder> routes) {
        CorsFilter cors = CorsFilter.create(settings.get("cors"));
        MetricsFilter metrics = new MetricsFilter(name);
        // found by every request's context (its parent), where the body is read
        Context serverContext = Context.create();
        serverContext.register(closeAtShutdown(BodyDeadline.create(settings.get("body-timeout"))));
        server.config(config.get("server"))
                .serverContext(serverContext)
                .shutdownHook(false)
                .maxPayloadSize(settings.get("max-body-bytes").asLong().get())
                .directHandlers(envelopeDirectHandlers(cors, metrics))
                // Helidon 4.1.7's query validator rejects ':' (RFC 3986 allows it in a query), so a plain
                // ?from=2025-01-01T00:00:00Z would be 400; StrictRequestFilter checks query strings instead
                .addProtocol(Http1Config.builder().validatePrologue(false).build())
                .addFeature(observeFeature())
                .routing(routing -> {
                    // the filters, in the order a request meets them; request id first, so that every answer
                    // (CORS preflights and errors included) carries X-Request-ID
                    routing.addFilter(new RequestIdFilter())
                            .addFilter(new TracingFilter(tracing))
                            .addFilter(cors)
                            .addFilter(new AccessLogFilter())
                            .addFilter(metrics)
                            .addFilter(new StrictRequestFilter())
                            .addFilter(new AuthenticationFilter(tokens))
                            .addFilter(RateLimitFilter.create(name, settings.get("rate")))
                            .addFilter(AuthenticationFilter.requireCaller())
                            .addFilter(ConcurrencyLimitFilter.create(settings))
                            .addFilter(new DatabaseReadyFilter(database::migrated));
                    // exceptions become error envelopes here, in one place
                    ErrorHandlers.register(routing);
                    routes.accept(routing);
                });
    }

    /** Builds and starts the server on the configured port, and stops it gracefully on SIGTERM. */
    public WebServer start(Consumer<HttpRouting.Builder> routes) {
        WebServerConfig.Builder builder = WebServer.builder();
        setup(builder, routes);
        builder.port(settings.get("port").asInt().get());
        WebServer server = builder.build().start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> shutdown(server), name + "-shutdown"));
        LOGGER.log(
                System.Logger.Level.INFO,
                name + " listening on http://localhost:" + server.port()
                        + " (API under /api/v1, health at /health, metrics at /metrics)");
        return server;
    }

    /**
     * Graceful stop: readiness goes DOWN first so load balancers stop sending, requests keep being served for the
     * drain period, then the server stops (in-flight requests get {@code server.shutdown-grace-period}) and the pool
     * and database close.
     */
    public void shutdown(WebServer server) {
        if (!stopping.compareAndSet(false, true)) {
            return; // SIGTERM after an explicit shutdown (or twice): nothing left to do
        }
        draining = true;
        LOGGER.log(System.Logger.Level.INFO, name + " shutting down: readiness DOWN, draining for " + drain);
        try {
            Thread.sleep(drain);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.stop();
        close();
        LOGGER.log(System.Logger.Level.INFO, name + " stopped");
        Logging.flush(); // the JVM halts when the shutdown hooks end, buffered lines or not
    }

    @Override
    public void close() {
        for (AutoCloseable resource = toCloseAtShutdown.pollLast();
                resource != null;
                resource = toCloseAtShutdown.pollLast()) {
            try {
                resource.close();
            } catch (Exception e) {
                LOGGER.log(System.Logger.Level.WARNING, name + ": " + resource + " did not close cleanly: " + e);
            }
        }
        database.close();
    }

    private ObserveFeature observeFeature() {
        Config observers = config.get("server.features.observe.observers");
        HealthObserverConfig.Builder healthBuilder = HealthObserver.builder()
                .endpoint("/health")
                // details (each check's data) only where application*.yaml or the environment turn them on
                .config(observers.get("health"))
                .addCheck(database::health, HealthCheckType.READINESS, "database")
                .addCheck(
                        () -> HealthCheckResponse.builder()
                                .status(!draining)
                                .detail("draining", draining)
                                .build(),
                        HealthCheckType.READINESS,
                        "accepting-traffic");
        healthChecks.forEach(c -> healthBuilder.addCheck(c.check(), HealthCheckType.READINESS, c.name()));
        HealthObserver health = healthBuilder.build();
        MetricsObserver metrics = MetricsObserver.builder()
                .endpoint("/metrics")
                .config(observers.get("metrics"))
                .build();
        return ObserveFeature.builder()
                .config(config.get("server.features.observe"))
                .addObserver(health)
                .addObserver(metrics)
                .build();
    }

    private record NamedCheck(String name, Supplier<HealthCheckResponse> check) {}

    private static DirectHandlers envelopeDirectHandlers(CorsFilter cors, MetricsFilter metrics) {
        EnvelopeDirectHandler handler = new EnvelopeDirectHandler(cors, metrics);
        DirectHandlers.Builder builder = DirectHandlers.builder();
        for (DirectHandler.EventType type : DirectHandler.EventType.values()) {
            builder.addHandler(type, handler);
        }
        return builder.build();
    }
}

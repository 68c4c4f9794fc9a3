package dev.ems.system;

import dev.ems.audit.AuditService;
import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.ServiceConfigs;
import io.helidon.config.Config;
import io.helidon.metrics.api.MeterRegistry;
import io.helidon.metrics.api.Metrics;
import io.helidon.webserver.WebServer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * One of the three services running in this JVM, wired as its {@code Main} wires it, on a fresh database of the tests'
 * PostgreSQL, trusting the tests' issuer unless {@code settings} say otherwise, on a free port, with rate limiting
 * effectively off. {@link #close()} shuts it down as SIGTERM would.
 */
record RunningService(ServiceRuntime runtime, WebServer server) implements AutoCloseable {
    static final String INTEGRITY_KEY = "system-test-integrity-key-0123456789";
    /** The checkpoint signing key of the system tests' audit-log-service (an ECDSA P-256 JWK). */
    static final String SIGNING_KEY = "{\"kty\":\"EC\",\"d\":\"Qf-RzoBdSKQwMCUm7uOitIUSDsVs1D6mJiPVn8gSH-o\","
            + "\"crv\":\"P-256\",\"kid\":\"system-test\","
            + "\"x\":\"0bUxgcbsi03jENxUKe9IpqxXFn3p3fJ-3Tj2NX2mFyw\",\"y\":\"jmqHZDsk8_nZcx4Cimq3ux17Kkn0sV-9jijDRynVGeI\"}";

    /** audit-log-service with {@code settings} over the defaults. */
    static RunningService audit(Map<String, String> settings) {
        Map<String, String> all = new HashMap<>();
        all.put("audit.log.service.integrity.key", INTEGRITY_KEY);
        all.put("audit.log.service.signing.key", SIGNING_KEY);
        all.putAll(settings);
        ServiceRuntime runtime = ServiceRuntime.create("audit-log-service", config("audit-log-service", all));
        AuditService audit = dev.ems.audit.Main.auditService(
                runtime,
                dev.ems.audit.Main.hashChain(runtime.config()),
                dev.ems.audit.Main.checkpointSigner(runtime.config()));
        return new RunningService(runtime, runtime.start(routing -> dev.ems.audit.Main.routing(routing, audit)));
    }

    /** user-service with {@code settings} over the defaults, relaying its audit events when they give an audit url. */
    static RunningService user(Map<String, String> settings) {
        ServiceRuntime runtime = ServiceRuntime.create("user-service", config("user-service", settings));
        if (settings.containsKey("user.service.audit.url")) {
            runtime.startAuditRelay();
        }
        return new RunningService(
                runtime,
                runtime.start(routing -> dev.ems.user.Main.routing(
                        routing, runtime.db(), dev.ems.user.Main.auditTrail(runtime.config()))));
    }

    /** order-service asking {@code userService}, with {@code settings} over the defaults, relaying as user(). */
    static RunningService order(RunningService userService, Map<String, String> settings) {
        Map<String, String> all = new HashMap<>(settings);
        all.put("order.service.user.service.url", userService.url());
        ServiceRuntime runtime = ServiceRuntime.create("order-service", config("order-service", all));
        var userClient = runtime.closeAtShutdown(dev.ems.order.Main.userClient(runtime));
        if (settings.containsKey("order.service.audit.url")) {
            runtime.startAuditRelay();
        }
        var orders =
                dev.ems.order.Main.orderService(runtime, userClient, dev.ems.order.Main.auditTrail(runtime.config()));
        return new RunningService(runtime, runtime.start(routing -> dev.ems.order.Main.routing(routing, orders)));
    }

    /**
     * The settings that make {@code service} ("user-service", "order-service") relay its audit events to {@code
     * auditUrl} promptly, with the outbox backlog among /health's details (the operator's view).
     */
    static Map<String, String> relayingTo(String service, String auditUrl) {
        String prefix = service.replace('-', '.');
        Map<String, String> settings = new HashMap<>();
        settings.put(prefix + ".audit.url", auditUrl);
        settings.put(prefix + ".audit.poll-interval", "100ms");
        settings.put(prefix + ".audit.max-backoff", "500ms");
        settings.put("server.features.observe.observers.health.details", "true");
        return settings;
    }

    /**
     * Forgets the relays' backlog gauges: the metrics registry is the JVM's, and a gauge stays bound to the relay that
     * registered it first, so a class that reads the gauges must not see those of an earlier class's relays.
     */
    static void forgetOutboxGauges() {
        MeterRegistry registry = Metrics.globalRegistry();
        List.copyOf(registry.meters(m -> m.id().name().contains("_audit_outbox_")))
                .forEach(registry::remove);
    }

    String url() {
        return "http://localhost:" + server.port();
    }

    @Override
    public void close() {
        runtime.shutdown(server);
    }

    private static Config config(String service, Map<String, String> settings) {
        Map<String, String> all = defaults(service);
        all.putAll(settings);
        return ServiceConfigs.of(service, all);
    }

    private static Map<String, String> defaults(String service) {
        String prefix = service.replace('-', '.');
        Map<String, String> settings = new HashMap<>();
        settings.put(prefix + ".port", "0");
        settings.put(prefix + ".rate.limit", "100000");
        settings.put(prefix + ".rate.burst", "100000");
        settings.put(prefix + ".log.level", "warn");
        return settings;
    }
}

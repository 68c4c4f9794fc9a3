package dev.ems.audit;

import java.time.Clock;
import java.time.Duration;

import dev.ems.core.server.Durations;
import dev.ems.core.server.Periodic;
import dev.ems.core.server.ServiceRuntime;

import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;

/** audit-log-service: the append-only, hash-chained, searchable audit trail of EMS (port 8083). */
public final class Main {
    public static final String SERVICE = "audit-log-service";

    private Main() {
    }

    public static void main(String[] args) {
        Config config = ServiceRuntime.loadConfig();
        ServiceRuntime runtime = ServiceRuntime.create(SERVICE, config);
        AuditService audit = auditService(runtime);
        retention(runtime.settings().get("retention"), audit);
        runtime.start(routing -> routing(routing, audit));
    }

    public static AuditService auditService(ServiceRuntime runtime) {
        DbClient db = runtime.db();
        Config settings = runtime.settings();
        return new AuditService(db, new AuditRepository(db),
                                new HashChain(settings.get("integrity.key").asString().orElseThrow(
                                        () -> new IllegalStateException("audit.log.service.integrity.key is not set"))),
                                settings.get("batch.max-entries").asInt().orElse(500),
                                Clock.systemUTC());
    }

    /** The retention job: every {@code interval}, purge what was recorded more than {@code days} ago (0: never). */
    static void retention(Config settings, AuditService audit) {
        int days = settings.get("days").asInt().orElse(365);
        if (days > 0) {
            Duration interval = Durations.parse(settings.get("interval").asString().orElse("1h"));
            Periodic.start("audit-retention", interval,
                           () -> audit.purgeRecordedBefore(Clock.systemUTC().instant().minus(Duration.ofDays(days))));
        }
    }

    /** The service's routes; tests wire the same. */
    public static void routing(HttpRouting.Builder routing, AuditService audit) {
        routing.register(AuditRoutes.PATH, new AuditRoutes(audit));
    }
}

package dev.ems.audit;

import dev.ems.core.config.Durations;
import dev.ems.core.config.Secrets;
import dev.ems.core.server.ServiceRuntime;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;

/** audit-log-service: the append-only, hash-chained, searchable audit trail of EMS (port 8083). */
public final class Main {
    public static final String SERVICE = "audit-log-service";

    private Main() {}

    public static void main(String[] args) {
        ServiceRuntime.run(SERVICE, config -> {
            // first: without a safe key the service must not start at all, not even its database
            HashChain chain = hashChain(config);
            ServiceRuntime runtime = ServiceRuntime.create(SERVICE, config);
            AuditService audit = auditService(runtime, chain);
            retention(runtime, audit);
            runtime.start(routing -> routing(routing, audit));
        });
    }

    /** The hash chain under the integrity key: a secret of at least {@link HashChain#MIN_KEY_BYTES} (see Secrets). */
    public static HashChain hashChain(Config config) {
        return new HashChain(Secrets.require(config.get("audit.log.service.integrity.key"), HashChain.MIN_KEY_BYTES));
    }

    public static AuditService auditService(ServiceRuntime runtime, HashChain chain) {
        DbClient db = runtime.db();
        return new AuditService(
                db,
                new AuditRepository(db),
                chain,
                runtime.settings().get("batch.max-entries").asInt().get(),
                Clock.systemUTC());
    }

    /** The retention job: every {@code interval}, purge what was recorded more than {@code days} ago (0: never). */
    static void retention(ServiceRuntime runtime, AuditService audit) {
        Config settings = runtime.settings().get("retention");
        int days = settings.get("days").asInt().get();
        if (days > 0) {
            Duration interval = Durations.of(settings.get("interval"));
            runtime.every(
                    "audit-retention",
                    interval,
                    () -> audit.purgeRecordedBefore(Clock.systemUTC().instant().minus(Duration.ofDays(days))));
        }
    }

    /** The service's routes; tests wire the same. */
    public static void routing(HttpRouting.Builder routing, AuditService audit) {
        routing.register(AuditRoutes.PATH, new AuditRoutes(audit));
    }
}

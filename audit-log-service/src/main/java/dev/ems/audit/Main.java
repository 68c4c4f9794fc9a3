package dev.ems.audit;

import dev.ems.core.config.Durations;
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
            // first: without safe keys the service must not start at all, not even its database
            HashChain chain = hashChain(config);
            CheckpointSigner signer = checkpointSigner(config);
            ServiceRuntime runtime = ServiceRuntime.create(SERVICE, config);
            AuditService audit = auditService(runtime, chain, signer);
            retention(runtime, audit);
            checkpointLog(runtime, audit);
            runtime.start(routing -> routing(routing, audit));
        });
    }

    /** The hash chain under the integrity keys (secrets of at least 32 bytes, see {@link IntegrityKeys}). */
    public static HashChain hashChain(Config config) {
        return new HashChain(IntegrityKeys.from(config.get("audit.log.service.integrity")));
    }

    /** The checkpoint signing keys (the current one a secret, see {@link CheckpointSigner}). */
    public static CheckpointSigner checkpointSigner(Config config) {
        return CheckpointSigner.from(config.get("audit.log.service.signing"));
    }

    public static AuditService auditService(ServiceRuntime runtime, HashChain chain, CheckpointSigner signer) {
        DbClient db = runtime.db();
        return new AuditService(
                db,
                new AuditRepository(db),
                chain,
                signer,
                runtime.settings().get("batch.max-entries").asInt().get(),
                Clock.systemUTC());
    }

    /** The retention job: every {@code interval}, purge what was recorded more than {@code days} ago (0: never). */
    static void retention(ServiceRuntime runtime, AuditService audit) {
        Config settings = runtime.settings().get("retention");
        int days = settings.get("days").asInt().get();
        if (days > 0) {
            Duration interval = Durations.of(settings.get("interval"));
            // on every replica, no lock of its own: the chain head's row lock and a re-check after it (Retention)
            // make replicas purging at once purge once; a replica on a later schedule removes only what has aged
            // since, recorded as a purge of its own
            runtime.every(
                    "audit-retention",
                    interval,
                    () -> audit.purgeRecordedBefore(Clock.systemUTC().instant().minus(Duration.ofDays(days))));
        }
    }

    /** Every {@code checkpoint.interval}, a signed checkpoint to the log (0: never). */
    static void checkpointLog(ServiceRuntime runtime, AuditService audit) {
        Duration interval = Durations.of(runtime.settings().get("checkpoint.interval"));
        if (!interval.isZero()) {
            // on every replica: each logs a signed checkpoint of the same chain, a harmless extra copy
            runtime.every("audit-checkpoint", interval, audit::logCheckpoint);
        }
    }

    /** The service's routes; tests wire the same. */
    public static void routing(HttpRouting.Builder routing, AuditService audit) {
        routing.register(AuditRoutes.PATH, new AuditRoutes(audit));
    }
}

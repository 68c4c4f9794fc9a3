package dev.ems.user;

import dev.ems.core.audit.AuditTrail;
import dev.ems.core.audit.Pseudonymiser;
import dev.ems.core.server.ServiceRuntime;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.util.List;

/** user-service: users with validation, pagination, optimistic concurrency and soft delete (port 8081). */
public final class Main {
    public static final String SERVICE = "user-service";

    private Main() {}

    public static void main(String[] args) {
        ServiceRuntime.run(SERVICE, config -> {
            // first: without a safe pseudonymisation key the service must not start at all, not even its database
            AuditTrail audit = auditTrail(config);
            ServiceRuntime runtime = ServiceRuntime.create(SERVICE, config);
            runtime.startAuditRelay();
            runtime.start(routing -> routing(routing, runtime.db(), audit));
        });
    }

    /** The audit trail, users' personal fields pseudonymised under the key of {@code ems.audit.pseudonymisation}. */
    public static AuditTrail auditTrail(Config config) {
        return new AuditTrail(SERVICE, Clock.systemUTC(), Pseudonymiser.from(config), List.of(UserPersonalData.USER));
    }

    /** The service's routes; tests wire the same. */
    public static void routing(HttpRouting.Builder routing, DbClient db, AuditTrail audit) {
        UserService users = new UserService(db, new UserRepository(db), audit);
        routing.register(UserRoutes.PATH, new UserRoutes(users));
    }
}

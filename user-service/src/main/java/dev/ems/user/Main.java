package dev.ems.user;

import dev.ems.core.audit.AuditTrail;
import dev.ems.core.server.ServiceRuntime;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;

/** user-service: users with validation, pagination, optimistic concurrency and soft delete (port 8081). */
public final class Main {
    public static final String SERVICE = "user-service";

    private Main() {}

    public static void main(String[] args) {
        ServiceRuntime.run(SERVICE, config -> {
            ServiceRuntime runtime = ServiceRuntime.create(SERVICE, config);
            runtime.startAuditRelay();
            runtime.start(routing -> routing(routing, runtime.db()));
        });
    }

    /** The service's routes; tests wire the same. */
    public static void routing(HttpRouting.Builder routing, DbClient db) {
        UserService users = new UserService(db, new UserRepository(db), new AuditTrail(SERVICE, Clock.systemUTC()));
        routing.register(UserRoutes.PATH, new UserRoutes(users));
    }
}

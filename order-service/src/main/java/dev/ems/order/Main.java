package dev.ems.order;

import dev.ems.core.audit.AuditTrail;
import dev.ems.core.audit.Pseudonymiser;
import dev.ems.core.config.Durations;
import dev.ems.core.server.ServiceRuntime;
import io.helidon.config.Config;
import io.helidon.dbclient.DbClient;
import io.helidon.webserver.http.HttpRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** order-service: orders, checked against user-service through a circuit breaker and a bulkhead (port 8082). */
public final class Main {
    public static final String SERVICE = "order-service";

    private Main() {}

    public static void main(String[] args) {
        ServiceRuntime.run(SERVICE, config -> {
            // first: without a safe pseudonymisation key the service must not start at all, not even its database
            AuditTrail audit = auditTrail(config);
            ServiceRuntime runtime = ServiceRuntime.create(SERVICE, config);
            UserClient users = runtime.closeAtShutdown(userClient(runtime));
            runtime.addReadinessCheck(UserClient.DEPENDENCY, users::health);
            runtime.startAuditRelay();
            OrderService orders = orderService(runtime, users, audit);
            // on every replica, no lock needed: an idempotent DELETE of the expired keys (replicas purging at once
            // each delete what the other has not)
            runtime.every("idempotency-key-purge", Duration.ofMinutes(10), orders::purgeExpiredKeys);
            runtime.start(routing -> routing(routing, orders));
        });
    }

    /** The client of user-service, from {@code order.service.user.service.*} and {@code circuit.breaker.*}. */
    public static UserClient userClient(ServiceRuntime runtime) {
        Config config = runtime.config();
        return UserClient.create(
                config.get("order.service.user.service"),
                config.get("circuit.breaker"),
                runtime.serviceCredentials(),
                runtime.tracing(),
                SERVICE);
    }

    /** The audit trail, orders' personal fields pseudonymised under the key of {@code ems.audit.pseudonymisation}. */
    public static AuditTrail auditTrail(Config config) {
        return new AuditTrail(SERVICE, Clock.systemUTC(), Pseudonymiser.from(config), List.of(OrderPersonalData.ORDER));
    }

    public static OrderService orderService(ServiceRuntime runtime, UserClient users, AuditTrail audit) {
        DbClient db = runtime.db();
        Duration ttl = Durations.of(runtime.settings().get("idempotency.ttl"));
        OrderRepository repository = new OrderRepository(db);
        return new OrderService(
                db,
                repository,
                new ActiveUserCheck(users),
                new OrderAccess(users),
                new Idempotency(repository, ttl),
                audit);
    }

    /** The service's routes; tests wire the same. */
    public static void routing(HttpRouting.Builder routing, OrderService orders) {
        routing.register(OrderRoutes.PATH, new OrderRoutes(orders));
    }
}

package dev.ems.order;

import java.util.HashMap;
import java.util.Map;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.core.testing.TestPostgres;

import io.helidon.config.Config;
import io.helidon.webserver.WebServerConfig;

/** An order-service on a fresh database, wired exactly as Main wires it, pointed at a given user-service. */
final class OrderTestSupport {
    private OrderTestSupport() {
    }

    /**
     * Sets up {@code server} (from {@code @SetUpServer}) as order-service. Rate limiting is lifted unless
     * {@code overrides} set it; breaker and timeouts can be set through {@code overrides}
     * (e.g. {@code circuit.breaker.timeout}, {@code order.service.user.service.timeout}).
     */
    static Running setUp(WebServerConfig.Builder server, String userServiceUrl, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("order.service.user.service.url", userServiceUrl);
        values.put("order.service.rate.limit", "100000");
        values.put("order.service.rate.burst", "100000");
        values.putAll(overrides);
        Config config = TestPostgres.serviceConfig(Main.SERVICE, values);
        ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, config);
        UserClient users = Main.userClient(config);
        runtime.addHealthCheck(users.healthCheck());
        OrderService orders = Main.orderService(runtime, users);
        runtime.setup(server, routing -> Main.routing(routing, orders));
        return new Running(runtime, users, orders);
    }

    /** What a test may need to reach behind the API, and must close in {@code @AfterStop}. */
    record Running(ServiceRuntime runtime, UserClient users, OrderService orders) implements AutoCloseable {
        @Override
        public void close() {
            users.close();
            runtime.close();
        }
    }
}

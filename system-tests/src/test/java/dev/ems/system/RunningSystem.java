package dev.ems.system;

import java.util.HashMap;
import java.util.Map;

/**
 * The three services wired as they are deployed: user-service and order-service relaying their audit events to
 * audit-log-service, order-service asking user-service. {@link #close()} stops them in the reverse order.
 */
record RunningSystem(RunningService audit, RunningService users, RunningService orders) implements AutoCloseable {

    static RunningSystem start() {
        return start(Map.of());
    }

    /** With {@code settings} given to each of the three (e.g. {@code otel.*}). */
    static RunningSystem start(Map<String, String> settings) {
        RunningService audit = RunningService.audit(settings);
        RunningService users =
                RunningService.user(with(settings, RunningService.relayingTo("user-service", audit.url())));
        RunningService orders =
                RunningService.order(users, with(settings, RunningService.relayingTo("order-service", audit.url())));
        return new RunningSystem(audit, users, orders);
    }

    private static Map<String, String> with(Map<String, String> settings, Map<String, String> more) {
        Map<String, String> all = new HashMap<>(settings);
        all.putAll(more);
        return all;
    }

    @Override
    public void close() {
        orders.close();
        users.close();
        audit.close();
        RunningService.forgetOutboxGauges();
    }
}

package dev.ems.system;

import java.util.Map;

/**
 * The three services wired as they are deployed: user-service and order-service relaying their audit events to
 * audit-log-service, order-service asking user-service. {@link #close()} stops them in the reverse order.
 */
record RunningSystem(RunningService audit, RunningService users, RunningService orders) implements AutoCloseable {

    static RunningSystem start() {
        RunningService audit = RunningService.audit(Map.of());
        RunningService users = RunningService.user(RunningService.relayingTo("user-service", audit.url()));
        RunningService orders = RunningService.order(users, RunningService.relayingTo("order-service", audit.url()));
        return new RunningSystem(audit, users, orders);
    }

    @Override
    public void close() {
        orders.close();
        users.close();
        audit.close();
        RunningService.forgetOutboxGauges();
    }
}

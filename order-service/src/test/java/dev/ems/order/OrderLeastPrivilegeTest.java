package dev.ems.order;

import static dev.ems.testing.ServiceRoleChecks.assertServiceRole;
import static dev.ems.testing.ServiceRoleChecks.migratedDatabase;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service's own role (the pool's; the whole suite runs the service as it) has the DML of its statements and no
 * DDL: the migrations, run as the owner, grant nothing more.
 */
class OrderLeastPrivilegeTest {
    @Test
    void theServiceRoleCannotAlterDropOrCreateTablesNorHardDeleteOrders() throws SQLException {
        assertServiceRole(
                migratedDatabase(Main.SERVICE),
                "orders",
                List.of(
                        "DROP TABLE orders",
                        "ALTER TABLE orders ADD COLUMN note text",
                        "ALTER TABLE order_items DROP CONSTRAINT order_items_check",
                        "TRUNCATE idempotency_keys",
                        "DELETE FROM orders", // an order's delete is soft: an UPDATE
                        "UPDATE order_items SET quantity = 1", // items are replaced, never changed
                        "DROP TABLE audit_outbox",
                        "DELETE FROM flyway_schema_history",
                        "CREATE TABLE orders_copy (id uuid)"));
    }
}

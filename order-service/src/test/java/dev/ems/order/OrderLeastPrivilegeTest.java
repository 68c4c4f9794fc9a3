package dev.ems.order;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.db.Database;
import dev.ems.testing.ServiceConfigs;
import dev.ems.testing.TestPostgres;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The service's own role (the pool's; the whole suite runs the service as it) has the DML of its statements and no
 * DDL: the migrations, run as the owner, grant nothing more.
 */
class OrderLeastPrivilegeTest {
    private static final String INSUFFICIENT_PRIVILEGE = "42501";

    @Test
    void theServiceRoleCannotAlterDropOrCreateTablesNorHardDeleteOrders() throws SQLException {
        String database = TestPostgres.createDatabase();
        Database.migrate(
                Main.SERVICE,
                ServiceConfigs.of(Main.SERVICE, TestPostgres.shared().getPort(), database, Map.of())
                        .get("order.service.db"));
        try (Connection c = TestPostgres.connect(database, TestPostgres.SERVICE_ROLE);
                Statement s = c.createStatement()) {
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM orders")) {
                assertThat(rs.next()).as("it reads orders").isTrue();
            }
            for (String refused : new String[] {
                "DROP TABLE orders",
                "ALTER TABLE orders ADD COLUMN note text",
                "ALTER TABLE order_items DROP CONSTRAINT order_items_check",
                "TRUNCATE idempotency_keys",
                "DELETE FROM orders", // an order's delete is soft: an UPDATE
                "UPDATE order_items SET quantity = 1", // items are replaced, never changed
                "DROP TABLE audit_outbox",
                "DELETE FROM flyway_schema_history",
                "CREATE TABLE orders_copy (id uuid)"
            }) {
                assertThat(sqlState(s, refused)).as(refused).isEqualTo(INSUFFICIENT_PRIVILEGE);
            }
        }
    }

    private static String sqlState(Statement s, String statement) {
        try {
            s.execute(statement);
        } catch (SQLException e) {
            return e.getSQLState();
        }
        throw new AssertionError("succeeded, but must fail: " + statement);
    }
}

package dev.ems.user;

import static dev.ems.testing.ServiceRoleChecks.assertServiceRole;
import static dev.ems.testing.ServiceRoleChecks.migratedDatabase;

import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The service's own role (the pool's; the whole suite runs the service as it) has the DML of its statements and no
 * DDL: the migrations, run as the owner, grant nothing more.
 */
class UserLeastPrivilegeTest {
    @Test
    void theServiceRoleCannotAlterDropOrCreateTablesNorHardDeleteUsersNorSetTotals() throws SQLException {
        assertServiceRole(
                migratedDatabase(Main.SERVICE),
                "users",
                List.of(
                        "DROP TABLE users",
                        "ALTER TABLE users ADD COLUMN note text",
                        "ALTER TABLE users DROP CONSTRAINT users_role_check",
                        "TRUNCATE users",
                        "DELETE FROM users", // a user's delete is soft: an UPDATE
                        // the totals move only with the users, through the owner's triggers
                        "UPDATE live_user_counts SET live = 0",
                        "INSERT INTO live_user_counts VALUES ('active', 'admin', 1000)",
                        "DELETE FROM live_user_counts",
                        "DROP TABLE audit_outbox",
                        "DELETE FROM flyway_schema_history",
                        "CREATE TABLE users_copy (id uuid)"));
    }
}

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
    void theServiceRoleCannotAlterDropOrCreateTablesNorHardDeleteUsers() throws SQLException {
        assertServiceRole(
                migratedDatabase(Main.SERVICE),
                "users",
                List.of(
                        "DROP TABLE users",
                        "ALTER TABLE users ADD COLUMN note text",
                        "ALTER TABLE users DROP CONSTRAINT users_role_check",
                        "TRUNCATE users",
                        "DELETE FROM users", // a user's delete is soft: an UPDATE
                        "DROP TABLE audit_outbox",
                        "DELETE FROM flyway_schema_history",
                        "CREATE TABLE users_copy (id uuid)"));
    }
}

package dev.ems.user;

import dev.ems.testing.RefusedStart;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outside the local profile user-service refuses to start without a safe audit pseudonymisation key: a real process
 * exits with status 1 after one log line naming EMS_AUDIT_PSEUDONYMISATION_KEY, before it opens its database (which
 * is not even there: port 1), and never logs the key.
 */
class UserStartupTest {
    @TempDir
    Path tempDir;

    @Test
    void refusesToStartWithoutThePseudonymisationKey() throws Exception {
        RefusedStart.assertRefusedFor(
                Main.class,
                Main.SERVICE,
                Map.of("USER_SERVICE_DB_PORT", "1"),
                tempDir.resolve("service.log"),
                "EMS_AUDIT_PSEUDONYMISATION_KEY is not set");
    }

    @Test
    void refusesTheLocalDevelopmentKeyOutsideTheLocalProfile() throws Exception {
        RefusedStart.assertRefusedFor(
                Main.class,
                Main.SERVICE,
                Map.of(
                        "USER_SERVICE_DB_PORT",
                        "1",
                        "EMS_AUDIT_PSEUDONYMISATION_KEY",
                        "local-development-pseudonymisation-key"),
                tempDir.resolve("service.log"),
                "EMS_AUDIT_PSEUDONYMISATION_KEY holds the local-development value");
    }
}

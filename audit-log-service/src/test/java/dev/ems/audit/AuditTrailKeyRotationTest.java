package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.assertBroken;
import static dev.ems.audit.AuditTestSupport.assertIntact;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.scalar;
import static dev.ems.testing.JsonBodies.parse;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.ems.core.log.JsonLogFormatter;
import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.HttpResult;
import dev.ems.testing.TestClients;
import dev.ems.testing.TestIssuer;
import dev.ems.testing.TestPostgres;
import io.helidon.webserver.WebServer;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Both keys rotate on one database: the service restarted with a new integrity key (the old one kept to verify) and a
 * new signing key (the old one's public key kept) hashes, seals and signs with the new ones and verifies all, old and
 * new, with each entry, seal and checkpoint naming the key that made it; the new keys come from files here, as from
 * mounted secrets. Dropping the old integrity key while its entries are kept breaks /verify, which is why it is kept.
 * And the checkpoint written to the log on a schedule is one structured line that verifies as any other.
 */
class AuditTrailKeyRotationTest {
    private static final String OLD_KEY = "old-integrity-key-of-the-rotation-test-0123";
    private static final String NEW_KEY = "new-integrity-key-of-the-rotation-test-4567";

    @TempDir
    Path dir;

    /** audit-log-service on {@code database} with {@code settings}, and an admin's and user-service's requests to it. */
    private record Running(ServiceRuntime runtime, AuditService audit, TestClients clients) implements AutoCloseable {
        static Running start(String database, Map<String, String> settings) {
            Map<String, String> values = new HashMap<>(TestIssuer.settings(Main.SERVICE));
            values.put("audit.log.service.port", "0");
            values.put("audit.log.service.integrity.key", "");
            values.put("audit.log.service.signing.key", "");
            values.putAll(settings);
            ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, AuditTestSupport.config(database, values));
            AuditService audit = Main.auditService(
                    runtime, Main.hashChain(runtime.config()), Main.checkpointSigner(runtime.config()));
            Main.checkpointLog(runtime, audit);
            WebServer server = runtime.start(routing -> Main.routing(routing, audit));
            return new Running(runtime, audit, new TestClients(server.port()));
        }

        AuditTestSupport.Api admin() {
            return new AuditTestSupport.Api(clients.as(TestIssuer.bearer(TestIssuer.adminToken())));
        }

        AuditTestSupport.Api appender() {
            return new AuditTestSupport.Api(clients.as(TestIssuer.bearer(TestIssuer.serviceToken("user-service"))));
        }

        @Override
        public void close() {
            clients.close();
            runtime.close();
        }
    }

    /** The id of an integrity key, computed here apart from the service's code: its MAC over a fixed label. */
    private static String keyId(String key) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of()
                .formatHex(mac.doFinal("ems-audit-integrity-key-id".getBytes(StandardCharsets.UTF_8)))
                .substring(0, 16);
    }

    private Path file(String name, String content) throws Exception {
        return Files.writeString(dir.resolve(name), content + "\n");
    }

    private static long total(String db) {
        return Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries"));
    }

    @Test
    void bothKeysRotateAndVerifyKeepsHoldingOverOldAndNew() throws Exception {
        String db = TestPostgres.createDatabase();
        ECKey oldSigning = new ECKeyGenerator(Curve.P_256).keyID("signing-2025").generate();
        ECKey newSigning = new ECKeyGenerator(Curve.P_256).keyID("signing-2026").generate();

        JsonObject early;
        JsonObject oldCheckpoint;
        String oldKeys;
        try (Running before = Running.start(
                db,
                Map.of(
                        "audit.log.service.integrity.key",
                        OLD_KEY,
                        "audit.log.service.signing.key",
                        oldSigning.toJSONString()))) {
            before.appender().create(entry());
            before.appender().create(entry());
            early = before.admin().checkpoint();
            before.appender().create(entry());
            // retention seals its checkpoint with the old key too
            assertThat(before.audit().purgeRecordedBefore(Instant.now().plusSeconds(1)))
                    .isEqualTo(3);
            before.appender().create(entry());
            oldCheckpoint = before.admin().checkpoint();
            assertThat(oldCheckpoint.getString("key_id")).isEqualTo("signing-2025");
            oldKeys = before.admin().get(AUDIT + "/checkpoint-keys").body();
        }
        assertThat(scalar(db, "SELECT string_agg(DISTINCT key_id, ',') FROM audit_entries"))
                .isEqualTo(keyId(OLD_KEY));

        try (Running after = Running.start(
                db,
                Map.of(
                        "audit.log.service.integrity.key.file",
                                file("integrity-key", NEW_KEY).toString(),
                        "audit.log.service.integrity.previous.keys.file",
                                file("previous-keys", OLD_KEY).toString(),
                        "audit.log.service.signing.key.file",
                                file("signing-key", newSigning.toJSONString()).toString(),
                        "audit.log.service.signing.previous.keys", oldKeys))) {
            AuditTestSupport.Api admin = after.admin();
            for (int i = 0; i < 2; i++) {
                after.appender().create(entry());
            }
            assertIntact(admin.verify(), total(db));
            assertThat(scalar(db, "SELECT string_agg(coalesce(key_id, 'none'), ',' ORDER BY seq) FROM audit_entries"))
                    .as("each entry names the key that hashed it")
                    .isEqualTo(String.join(",", keyId(OLD_KEY), keyId(OLD_KEY), keyId(NEW_KEY), keyId(NEW_KEY)));
            assertThat(scalar(db, "SELECT key_id FROM audit_chain_head")).isEqualTo(keyId(NEW_KEY));
            assertThat(scalar(db, "SELECT key_id FROM audit_checkpoints")).isEqualTo(keyId(OLD_KEY));

            JsonObject newCheckpoint = admin.checkpoint();
            assertThat(newCheckpoint.getString("key_id")).isEqualTo("signing-2026");
            String keys = admin.get(AUDIT + "/checkpoint-keys").body();
            assertThat(new JsonWebKeySet(keys).getJsonWebKeys())
                    .extracting(k -> k.getKeyId())
                    .containsExactly("signing-2026", "signing-2025");
            for (JsonObject checkpoint : List.of(oldCheckpoint, newCheckpoint)) {
                JsonWebSignature jws = new JsonWebSignature();
                jws.setCompactSerialization(checkpoint.getString("signature"));
                jws.setKey(new JsonWebKeySet(keys)
                        .getJsonWebKeys().stream()
                                .filter(k -> k.getKeyId().equals(checkpoint.getString("key_id")))
                                .findFirst()
                                .orElseThrow()
                                .getKey());
                assertThat(jws.verifySignature()).isTrue();
            }
            HttpResult kept = admin.verifyKept(early, oldCheckpoint, newCheckpoint);
            assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
            assertThat(kept.data().getBoolean("intact")).as(kept.toString()).isTrue();
            assertThat(kept.data().getJsonArray("checkpoints"))
                    .as("the early one's entries were purged by retention: it can no longer be checked, and says so")
                    .extracting(c -> c.asJsonObject().getString("status"))
                    .containsExactly("purged", "contained", "contained");
        }

        try (Running forgetful = Running.start(
                db,
                Map.of(
                        "audit.log.service.integrity.key",
                        NEW_KEY,
                        "audit.log.service.signing.key",
                        newSigning.toJSONString()))) {
            // the retention checkpoint (seq 3) was sealed with the old key, which is gone
            assertBroken(forgetful.admin().verify(), 3, null);
            HttpResult kept = forgetful.admin().verifyKept(oldCheckpoint);
            assertThat(kept.status())
                    .as("a checkpoint of a key no longer published proves nothing: " + kept)
                    .isEqualTo(400);
        }
    }

    @Test
    void aSignedCheckpointIsLoggedOnScheduleAsOneStructuredLine() {
        Logger logger = Logger.getLogger("dev.ems.audit.checkpoint");
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler handler = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
        };
        Level level = logger.getLevel();
        try (Running running = Running.start(
                TestPostgres.createDatabase(),
                Map.of(
                        "audit.log.service.integrity.key",
                        NEW_KEY,
                        "audit.log.service.signing.key",
                        AuditTestSupport.SIGNING_KEY,
                        "audit.log.service.checkpoint.interval",
                        "100ms"))) {
            // after the start, which configures the service's logging (at warn in the tests)
            logger.setLevel(Level.INFO);
            logger.addHandler(handler);
            JsonObject last = running.appender().create(entry());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> records.stream()
                            .anyMatch(r -> format(r).contains("\"seq\":" + last.getJsonNumber("seq") + ",")));
            JsonObject line = records.stream()
                    .map(r -> parse(format(r)))
                    .filter(l -> l.getJsonNumber("seq").longValueExact()
                            == last.getJsonNumber("seq").longValueExact())
                    .findFirst()
                    .orElseThrow();
            assertThat(line.getString("message")).isEqualTo("audit checkpoint");
            assertThat(line.getString("hash")).isEqualTo(last.getString("hash"));
            assertThat(line.getString("recorded_at")).isEqualTo(last.getString("recorded_at"));
            HttpResult kept = running.admin()
                    .postAt(
                            AUDIT + "/verify",
                            "{\"checkpoints\":[{\"seq\":" + line.getJsonNumber("seq") + ",\"hash\":\""
                                    + line.getString("hash") + "\",\"recorded_at\":\"" + line.getString("recorded_at")
                                    + "\",\"key_id\":\"" + line.getString("key_id") + "\",\"signature\":\""
                                    + line.getString("signature") + "\"}]}");
            assertThat(kept.status()).as(kept.toString()).isEqualTo(200);
            assertThat(kept.data().getBoolean("intact")).isTrue();
        } finally {
            logger.removeHandler(handler);
            logger.setLevel(level);
        }
    }

    private static String format(LogRecord record) {
        return new JsonLogFormatter(Main.SERVICE).format(record);
    }
}

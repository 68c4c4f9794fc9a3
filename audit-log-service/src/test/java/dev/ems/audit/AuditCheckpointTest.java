package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.assertIntact;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.entryOf;
import static dev.ems.audit.AuditTestSupport.scalar;
import static dev.ems.audit.AuditTestSupport.sql;
import static dev.ems.testing.JsonBodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.ems.audit.AuditRepository.ChainLink;
import dev.ems.testing.HttpResult;
import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.junit.jupiter.api.Test;

/**
 * Signed checkpoints: the end of the chain signed with the checkpoint key, checked here with another JOSE library
 * (jose4j) and the published keys alone; kept checkpoints handed back to POST /verify prove that the chain still holds
 * them, also against someone who rewrote or cut back the history holding the database and the integrity key; an altered
 * checkpoint is refused. Each tampering is undone after, so the chain is whole again for the next test.
 */
class AuditCheckpointTest extends AuditServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    /** What someone holding the database and the integrity key can compute. */
    private static final HashChain INSIDER = new HashChain(IntegrityKeys.of(AuditTestSupport.INTEGRITY_KEY, List.of()));

    private long total() {
        return Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries"));
    }

    /** The payload of {@code checkpoint}'s signature, verified with jose4j under the key the JWKS gives its key_id. */
    private static JsonObject verifiedPayload(JsonObject checkpoint, String jwks) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setAlgorithmConstraints(new AlgorithmConstraints(
                AlgorithmConstraints.ConstraintType.PERMIT, AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256));
        jws.setCompactSerialization(checkpoint.getString("signature"));
        JsonWebKey key = new JsonWebKeySet(jwks)
                .getJsonWebKeys().stream()
                        .filter(k -> checkpoint.getString("key_id").equals(k.getKeyId()))
                        .findFirst()
                        .orElseThrow(() -> new AssertionError("no published key " + checkpoint.getString("key_id")));
        jws.setKey(key.getKey());
        assertThat(jws.getKeyIdHeaderValue()).isEqualTo(checkpoint.getString("key_id"));
        assertThat(jws.verifySignature())
                .as("the signature verifies under the published key")
                .isTrue();
        return parse(jws.getPayload());
    }

    @Test
    void theCheckpointIsTheSignedEndOfTheChainAndVerifiesWithThePublishedKeysAlone() throws Exception {
        appender.create(entry());
        JsonObject last = appender.create(entry());
        JsonObject checkpoint = api.checkpoint();
        assertThat(checkpoint.keySet()).containsExactly("seq", "hash", "recorded_at", "key_id", "signature");
        assertThat(checkpoint.getJsonNumber("seq").longValueExact())
                .isEqualTo(last.getJsonNumber("seq").longValueExact());
        assertThat(checkpoint.getString("hash")).isEqualTo(last.getString("hash"));
        assertThat(checkpoint.getString("recorded_at")).isEqualTo(last.getString("recorded_at"));
        assertThat(checkpoint.getString("key_id")).isEqualTo("test-signing-key");

        HttpResult keys = api.get(AUDIT + "/checkpoint-keys");
        assertThat(keys.status()).as(keys.toString()).isEqualTo(200);
        assertThat(keys.header("Content-Type")).startsWith("application/json");
        JsonObject jwks = parse(keys.body());
        assertThat(jwks.keySet()).as("a bare JWKS document, no envelope").containsExactly("keys");
        assertThat(jwks.getJsonArray("keys")).hasSize(1);
        assertThat(jwks.getJsonArray("keys").getJsonObject(0).keySet())
                .as("public parts only")
                .doesNotContain("d")
                .contains("kty", "crv", "x", "y", "kid");

        JsonObject payload = verifiedPayload(checkpoint, keys.body());
        JsonObjectBuilder expected = Json.createObjectBuilder(checkpoint);
        expected.remove("signature");
        assertThat(payload).as("the signature covers the other fields").isEqualTo(expected.build());
    }

    @Test
    void keptCheckpointsVerifyAsTheChainGrowsBeyondThem() {
        appender.create(entry());
        JsonObject first = api.checkpoint();
        appender.create(entry());
        JsonObject second = api.checkpoint();
        appender.create(entry());

        HttpResult res = api.verifyKept(first, second);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        JsonObject verify = res.data();
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isTrue();
        assertThat(verify.getJsonNumber("checked").longValueExact()).isEqualTo(total());
        assertThat(verify.getJsonArray("checkpoints"))
                .containsExactly(
                        parse("{\"seq\":" + first.getJsonNumber("seq") + ",\"status\":\"contained\"}"),
                        parse("{\"seq\":" + second.getJsonNumber("seq") + ",\"status\":\"contained\"}"));
    }

    @Test
    void anAlteredCheckpointIsRefused() throws Exception {
        appender.create(entry());
        JsonObject checkpoint = api.checkpoint();
        appender.create(entry());
        JsonObject later = api.checkpoint();
        long seq = checkpoint.getJsonNumber("seq").longValueExact();
        // the same fields signed with a key that is not the service's, under its key id
        JWSObject forged = new JWSObject(
                new JWSHeader.Builder(JWSAlgorithm.ES256)
                        .keyID("test-signing-key")
                        .build(),
                new Payload(verifiedPayload(
                                checkpoint, api.get(AUDIT + "/checkpoint-keys").body())
                        .toString()));
        forged.sign(new ECDSASigner(new ECKeyGenerator(Curve.P_256).generate()));

        Map<String, UnaryOperator<JsonObjectBuilder>> alterations = new LinkedHashMap<>();
        alterations.put("seq", c -> c.add("seq", seq - 1));
        alterations.put("hash", c -> c.add("hash", "0".repeat(64)));
        alterations.put("recorded_at", c -> c.add("recorded_at", "2020-01-01T00:00:00Z"));
        alterations.put("key_id", c -> c.add("key_id", "another-key"));
        alterations.put("signature of another checkpoint", c -> c.add("signature", later.getString("signature")));
        alterations.put("signature by another key", c -> c.add("signature", forged.serialize()));
        alterations.put("signature not a JWS", c -> c.add("signature", "not-a-jws"));
        alterations.forEach((what, alter) -> {
            JsonObject altered =
                    alter.apply(Json.createObjectBuilder(checkpoint)).build();
            HttpResult res = api.verifyKept(checkpoint, altered);
            assertThat(res.status()).as(what + ": " + res).isEqualTo(400);
            assertThat(res.error().getString("code")).as(what).isEqualTo("VALIDATION_ERROR");
            assertThat(res.detailFields()).as(what + ": " + res).containsExactly("checkpoints[1]");
        });
        assertThat(api.verifyKept(checkpoint).status())
                .as("the checkpoint as it was")
                .isEqualTo(200);
    }

    @Test
    void malformedKeptCheckpointsAreRefusedFieldByField() {
        HttpResult incomplete = api.verifyKept(parse("{\"seq\":-1,\"hash\":\"abc\"}"));
        assertThat(incomplete.status()).as(incomplete.toString()).isEqualTo(400);
        assertThat(incomplete.detailFields())
                .containsExactlyInAnyOrder(
                        "checkpoints[0].seq",
                        "checkpoints[0].hash",
                        "checkpoints[0].key_id",
                        "checkpoints[0].signature");
        HttpResult none = api.verifyKept();
        assertThat(none.status()).isEqualTo(400);
        assertThat(none.detailFields()).containsExactly("checkpoints");
        JsonObject checkpoint = api.checkpoint();
        JsonObject[] tooMany = new JsonObject[CheckpointValidation.MAX_CHECKPOINTS + 1];
        java.util.Arrays.fill(tooMany, checkpoint);
        HttpResult many = api.verifyKept(tooMany);
        assertThat(many.status()).isEqualTo(400);
        assertThat(many.detailMessage("checkpoints")).contains("at most 100");
        HttpResult unknown = api.postAt(AUDIT + "/verify", "{\"checkpoints\":[],\"extra\":1}");
        assertThat(unknown.status()).as(unknown.toString()).isEqualTo(400);
    }

    /** Runs {@code tamper} (as an insider: SQL and the integrity key), hands back the result, then restores all. */
    private <T> T tampered(java.util.function.Supplier<T> result, String... tamper) {
        sql(
                db,
                "CREATE TABLE saved_entries AS SELECT * FROM audit_entries",
                "CREATE TABLE saved_head AS SELECT * FROM audit_chain_head");
        try {
            sql(db, tamper);
            return result.get();
        } finally {
            sql(
                    db,
                    "DELETE FROM audit_entries",
                    "INSERT INTO audit_entries SELECT * FROM saved_entries",
                    "DELETE FROM audit_chain_head",
                    "INSERT INTO audit_chain_head SELECT * FROM saved_head",
                    "DROP TABLE saved_entries, saved_head");
            assertIntact(api.verify(), total());
        }
    }

    @Test
    void aHistoryRewrittenWithTheIntegrityKeyIsReportedToWhoKeptACheckpoint() {
        appender.create(entry());
        AuditEntry middle = entryOf(appender.create(entry("details", parse("{\"amount\":100}"))));
        JsonObject lastJson = appender.create(entry());
        AuditEntry last = entryOf(lastJson);
        JsonObject kept = api.checkpoint();

        // the middle entry rewritten, and every link after it recomputed and the head resealed with the key
        AuditEntry rewritten = new AuditEntry(
                middle.id(),
                middle.eventId(),
                middle.occurredAt(),
                middle.recordedAt(),
                middle.service(),
                middle.actor(),
                middle.action(),
                middle.entityType(),
                middle.entityId(),
                middle.requestId(),
                parse("{\"amount\":1}"),
                middle.clientAddress(),
                middle.userAgent(),
                middle.seq(),
                middle.prevHash(),
                middle.hash(),
                middle.keyId(),
                middle.traceId());
        String middleHash =
                INSIDER.hash(middle.prevHash(), middle.seq(), middle.id(), middle.recordedAt(), rewritten.event());
        String lastHash = INSIDER.hash(middleHash, last.seq(), last.id(), last.recordedAt(), last.event());
        ChainLink head = INSIDER.seal(HashChain.HEAD, last.seq(), lastHash);

        List<JsonObject> results = tampered(
                () -> List.of(api.verify(), api.verifyKept(kept).data()),
                "UPDATE audit_entries SET details = '{\"amount\":1}', hash = '" + middleHash + "' WHERE seq = "
                        + middle.seq(),
                "UPDATE audit_entries SET prev_hash = '" + middleHash + "', hash = '" + lastHash + "' WHERE seq = "
                        + last.seq(),
                "UPDATE audit_chain_head SET hash = '" + lastHash + "', seal = '" + head.seal() + "', key_id = '"
                        + head.keyId() + "'");
        assertIntact(results.get(0), total());
        JsonObject verify = results.get(1);
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
        assertThat(verify.getJsonNumber("first_broken_seq").longValueExact()).isEqualTo(last.seq());
        assertThat(verify.getString("first_broken_id")).isEqualTo(lastJson.getString("id"));
        assertThat(verify.getJsonArray("checkpoints"))
                .containsExactly(parse("{\"seq\":" + last.seq() + ",\"status\":\"differs\"}"));
    }

    @Test
    void aChainCutBackBeforeAKeptCheckpointIsReported() {
        AuditEntry before = entryOf(appender.create(entry()));
        JsonObject gone = appender.create(entry());
        JsonObject kept = api.checkpoint();
        ChainLink head = INSIDER.seal(HashChain.HEAD, before.seq(), before.hash());

        List<JsonObject> results = tampered(
                () -> List.of(api.verify(), api.verifyKept(kept).data()),
                "DELETE FROM audit_entries WHERE seq = " + gone.getJsonNumber("seq"),
                "UPDATE audit_chain_head SET seq = " + head.seq() + ", hash = '" + head.hash() + "', seal = '"
                        + head.seal() + "', key_id = '" + head.keyId() + "'");
        assertIntact(results.get(0), total() - 1);
        JsonObject verify = results.get(1);
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
        assertThat(verify.getJsonNumber("first_broken_seq").longValueExact())
                .isEqualTo(gone.getJsonNumber("seq").longValueExact());
        assertThat(verify.getJsonArray("checkpoints"))
                .containsExactly(parse("{\"seq\":" + gone.getJsonNumber("seq") + ",\"status\":\"beyond_end\"}"));
    }

    @Test
    void noCheckpointIsSignedForAHeadMovedWithoutTheKey() {
        appender.create(entry());
        JsonObject last = appender.create(entry());
        HttpResult res = tampered(
                () -> api.get(AUDIT + "/checkpoint"),
                "UPDATE audit_chain_head SET seq = seq - 1, hash = (SELECT prev_hash FROM audit_entries WHERE seq = "
                        + last.getJsonNumber("seq") + ")");
        assertThat(res.status()).as(res.toString()).isEqualTo(409);
        assertThat(res.error().getString("code")).isEqualTo("CHAIN_NOT_INTACT");
    }

    @Test
    void onlyAuditorsAndAdminsReachTheCheckpoints() {
        JsonObject checkpoint = api.checkpoint();
        AuditTestSupport.Api auditor = api(TestIssuer.bearer(TestIssuer.token("auditor-1", "auditor")));
        assertThat(auditor.get(AUDIT + "/checkpoint").status()).isEqualTo(200);
        assertThat(auditor.get(AUDIT + "/checkpoint-keys").status()).isEqualTo(200);
        assertThat(auditor.verifyKept(checkpoint).status()).isEqualTo(200);
        for (AuditTestSupport.Api refused :
                List.of(api(TestIssuer.bearer(TestIssuer.token("alice", "user"))), appender)) {
            assertThat(refused.get(AUDIT + "/checkpoint").status()).isEqualTo(403);
            assertThat(refused.get(AUDIT + "/checkpoint-keys").status()).isEqualTo(403);
            assertThat(refused.verifyKept(checkpoint).status()).isEqualTo(403);
        }
        AuditTestSupport.Api anonymous = anonymousApi();
        assertThat(anonymous.get(AUDIT + "/checkpoint").status()).isEqualTo(401);
        assertThat(anonymous.get(AUDIT + "/checkpoint-keys").status()).isEqualTo(401);
        assertThat(api.postAt(AUDIT + "/checkpoint", "{}").status()).isEqualTo(405);
        assertThat(api.postAt(AUDIT + "/checkpoint-keys", "{}").status()).isEqualTo(405);
    }
}

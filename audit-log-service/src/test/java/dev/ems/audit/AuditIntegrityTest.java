package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.assertBroken;
import static dev.ems.audit.AuditTestSupport.assertIntact;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.scalar;
import static dev.ems.audit.AuditTestSupport.sql;
import static dev.ems.testing.JsonBodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The hash chain: verify finds any row changed or removed directly in PostgreSQL (each tampering is undone after,
 * so the chain is whole again for the next test), ranges of verify, and concurrent writers never forking the chain.
 */
class AuditIntegrityTest extends AuditServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    private long total() {
        return Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries"));
    }

    /** Three fresh entries at the end of the chain; the middle one has every optional field and rich details. */
    private List<JsonObject> three() {
        List<JsonObject> created = new ArrayList<>();
        created.add(appender.create(entry()));
        created.add(appender.create(entry(
                "request_id",
                "req-t",
                "client_address",
                "192.0.2.1",
                "user_agent",
                "ua/1",
                "details",
                parse("{\"a\":\"x\",\"b\":1.5,\"c\":{\"d\":[true,null]}}"))));
        created.add(appender.create(entry()));
        assertIntact(api.verify(), total());
        return created;
    }

    /** Runs {@code tamper} on the row at {@code seq}, hands the verify result to the caller, then restores the row. */
    private JsonObject tampered(long seq, String tamper) {
        String saved = "saved_" + UUID.randomUUID().toString().replace("-", "");
        sql(db, "CREATE TABLE " + saved + " AS SELECT * FROM audit_entries WHERE seq = " + seq, tamper);
        try {
            return api.verify();
        } finally {
            sql(
                    db,
                    "DELETE FROM audit_entries WHERE seq = " + seq + " OR id = (SELECT id FROM " + saved + ")"
                            + " OR event_id = (SELECT event_id FROM " + saved + ")",
                    "INSERT INTO audit_entries SELECT * FROM " + saved,
                    "DROP TABLE " + saved);
        }
    }

    @Test
    void anIntactChainVerifies() {
        three();
        JsonObject verify = api.verify();
        assertIntact(verify, total());
        assertThat(verify.getJsonNumber("checked").longValueExact()).isGreaterThanOrEqualTo(3);
    }

    @Test
    void anUpdateOfAnyHashedColumnIsDetected() {
        List<JsonObject> created = three();
        JsonObject middle = created.get(1);
        long seq = middle.getJsonNumber("seq").longValueExact();
        Map<String, String> tampers = new LinkedHashMap<>();
        tampers.put("event_id", "event_id = gen_random_uuid()");
        tampers.put("occurred_at", "occurred_at = occurred_at + interval '1 microsecond'");
        tampers.put("recorded_at", "recorded_at = recorded_at - interval '1 second'");
        tampers.put("service", "service = 'order-service'");
        tampers.put("actor", "actor = 'user:mallory'");
        tampers.put("action", "action = 'create'");
        tampers.put("entity_type", "entity_type = 'order'");
        tampers.put("entity_id", "entity_id = entity_id || 'x'");
        tampers.put("request_id", "request_id = NULL");
        tampers.put("details (value)", "details = jsonb_set(details, '{b}', '2')");
        tampers.put("details (key removed)", "details = details - 'c'");
        tampers.put("details (nested)", "details = jsonb_set(details, '{c,d,1}', 'false')");
        tampers.put("client_address", "client_address = '192.0.2.2'");
        tampers.put("user_agent", "user_agent = NULL");
        tampers.put("prev_hash", "prev_hash = repeat('1', 64)");
        tampers.put("hash", "hash = repeat('2', 64)");
        tampers.forEach((column, set) -> {
            JsonObject verify = tampered(seq, "UPDATE audit_entries SET " + set + " WHERE seq = " + seq);
            assertThat(verify.getBoolean("intact")).as(column + ": " + verify).isFalse();
            assertThat(verify.getJsonNumber("first_broken_seq").longValueExact())
                    .as(column + ": " + verify)
                    .isEqualTo(seq);
            assertThat(verify.getString("first_broken_id"))
                    .as(column + ": " + verify)
                    .isEqualTo(middle.getString("id"));
            assertIntact(api.verify(), total());
        });
    }

    @Test
    void aNullOptionalColumnSetToAValueIsDetected() {
        JsonObject first = three().getFirst();
        long seq = first.getJsonNumber("seq").longValueExact();
        for (String set : new String[] {"request_id = ''", "client_address = '10.0.0.1'", "user_agent = 'x'"}) {
            JsonObject verify = tampered(seq, "UPDATE audit_entries SET " + set + " WHERE seq = " + seq);
            assertBroken(verify, seq, first.getString("id"));
        }
        assertIntact(api.verify(), total());
    }

    @Test
    void theHashCoversMeaningNotJsonbSpelling() {
        JsonObject middle = three().get(1);
        long seq = middle.getJsonNumber("seq").longValueExact();
        JsonObject verify = tampered(
                seq,
                "UPDATE audit_entries SET details = '{\"c\":{\"d\":[true,null]},\"b\":1.50,\"a\":\"x\"}'"
                        + " WHERE seq = " + seq);
        assertIntact(verify, total());
    }

    @Test
    void aChangedSeqIsDetected() {
        List<JsonObject> created = three();
        long seq = created.get(1).getJsonNumber("seq").longValueExact();
        JsonObject verify = tampered(seq, "UPDATE audit_entries SET seq = seq + 1000000 WHERE seq = " + seq);
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
        assertThat(verify.getJsonNumber("first_broken_seq").longValueExact()).isBetween(seq, seq + 1);
        assertIntact(api.verify(), total());
    }

    @Test
    void aDeletedRowIsDetectedWhereverItIs() {
        List<JsonObject> created = three();
        long middle = created.get(1).getJsonNumber("seq").longValueExact();
        JsonObject verify = tampered(middle, "DELETE FROM audit_entries WHERE seq = " + middle);
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
        assertThat(verify.getJsonNumber("first_broken_seq").longValueExact()).isBetween(middle, middle + 1);

        long last = created.get(2).getJsonNumber("seq").longValueExact();
        assertBroken(tampered(last, "DELETE FROM audit_entries WHERE seq = " + last), last, null);

        JsonObject deletedFirst = tampered(1, "DELETE FROM audit_entries WHERE seq = 1");
        assertThat(deletedFirst.getBoolean("intact"))
                .as(deletedFirst.toString())
                .isFalse();
        assertThat(deletedFirst.getJsonNumber("first_broken_seq").longValueExact())
                .isBetween(1L, 2L);
        assertThat(deletedFirst.getJsonNumber("checked").longValueExact()).isZero();
        assertIntact(api.verify(), total());
    }

    @Test
    void deletingEverythingIsDetected() {
        three();
        String saved = "saved_all";
        sql(db, "CREATE TABLE " + saved + " AS SELECT * FROM audit_entries", "DELETE FROM audit_entries");
        try {
            JsonObject verify = api.verify();
            assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
            assertThat(verify.getJsonNumber("first_broken_seq").longValueExact())
                    .isEqualTo(1);
        } finally {
            sql(db, "INSERT INTO audit_entries SELECT * FROM " + saved, "DROP TABLE " + saved);
        }
        assertIntact(api.verify(), total());
    }

    @Test
    void theHeadIsSealedSoTheEndCannotBeCutOff() {
        List<JsonObject> created = three();
        long last = created.get(2).getJsonNumber("seq").longValueExact();
        long cut = created.get(0).getJsonNumber("seq").longValueExact();
        sql(db, "CREATE TABLE saved_head AS SELECT * FROM audit_chain_head");
        try {
            // the last entries deleted and the head moved back onto a real entry (its hash is in the table)
            sql(
                    db,
                    "CREATE TABLE saved_tail AS SELECT * FROM audit_entries WHERE seq > " + cut,
                    "DELETE FROM audit_entries WHERE seq > " + cut,
                    "UPDATE audit_chain_head SET seq = " + cut + ", hash = (SELECT hash FROM audit_entries WHERE seq = "
                            + cut + ")");
            assertBroken(api.verify(), cut, null);

            // the entries back in place, the head still moved back (its seal no longer fits where it is)
            sql(db, "INSERT INTO audit_entries SELECT * FROM saved_tail", "DROP TABLE saved_tail");
            assertBroken(api.verify(), cut, null);

            // the head's seal removed
            sql(db, "DELETE FROM audit_chain_head", "INSERT INTO audit_chain_head SELECT * FROM saved_head");
            sql(db, "UPDATE audit_chain_head SET seal = NULL");
            assertBroken(api.verify(), last, null);

            // the head back at the start, as if nothing had ever been appended: everything lies past it
            sql(db, "UPDATE audit_chain_head SET seq = 0, hash = repeat('0', 64), seal = NULL");
            JsonObject reset = api.verify();
            assertThat(reset.getBoolean("intact")).as(reset.toString()).isFalse();
        } finally {
            sql(
                    db,
                    "DELETE FROM audit_chain_head",
                    "INSERT INTO audit_chain_head SELECT * FROM saved_head",
                    "DROP TABLE saved_head");
        }
        assertIntact(api.verify(), total());
    }

    @Test
    void anEntryWithAnotherKeyDoesNotFit() {
        List<JsonObject> created = three();
        long seq = created.get(1).getJsonNumber("seq").longValueExact();
        // the same content re-hashed with another key (what someone without the service's key could compute)
        HashChain forged = new HashChain(IntegrityKeys.of("not-the-key-of-the-service-0123456789", List.of()));
        JsonObject e = created.get(1);
        AuditEntry entry = AuditTestSupport.entryOf(e);
        assertThat(new HashChain(IntegrityKeys.of(AuditTestSupport.INTEGRITY_KEY, List.of()))
                        .holds(entry, entry.prevHash()))
                .as("the configured key recomputes the stored hash")
                .isTrue();
        String hash = forged.hash(entry.prevHash(), entry.seq(), entry.id(), entry.recordedAt(), entry.event());
        JsonObject verify = tampered(seq, "UPDATE audit_entries SET hash = '" + hash + "' WHERE seq = " + seq);
        assertBroken(verify, seq, e.getString("id"));
    }

    @Test
    void verifyRangesOnRecordedAt() {
        List<JsonObject> created = three();
        String from = created.get(1).getString("recorded_at");
        String to = created.get(2).getString("recorded_at");
        assertIntact(api.verify("?from=" + from + "&to=" + to), 1);
        assertIntact(api.verify("?from=" + from), 2);
        long before = total() - 1;
        assertIntact(api.verify("?to=" + to), before);
        assertIntact(api.verify("?from=2999-01-01T00:00:00Z"), 0);
        assertIntact(api.verify("?to=2000-01-01T00:00:00Z"), 0);

        long last = created.get(2).getJsonNumber("seq").longValueExact();
        String saved = "saved_range";
        sql(
                db,
                "CREATE TABLE " + saved + " AS SELECT * FROM audit_entries WHERE seq = " + last,
                "UPDATE audit_entries SET actor = 'user:mallory' WHERE seq = " + last);
        try {
            assertIntact(api.verify("?from=" + from + "&to=" + to), 1);
            assertBroken(api.verify("?from=" + from), last, created.get(2).getString("id"));
        } finally {
            sql(
                    db,
                    "DELETE FROM audit_entries WHERE seq = " + last,
                    "INSERT INTO audit_entries SELECT * FROM " + saved,
                    "DROP TABLE " + saved);
        }
        Envelopes.assertInvalidParameter(api.get(AuditTestSupport.AUDIT + "/verify?from=soon"), "from");
        Envelopes.assertInvalidParameter(api.get(AuditTestSupport.AUDIT + "/verify?to=2025-13-01T00:00:00Z"), "to");
    }

    @Test
    void concurrentWritersNeverForkTheChain() throws Exception {
        long before = total();
        long headBefore = Long.parseLong(scalar(db, "SELECT seq FROM audit_chain_head"));
        String shared = entry();
        ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> eventIds = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<String> sharedIds = new ConcurrentLinkedQueue<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> futures = new ArrayList<>();
            for (int t = 0; t < 16; t++) {
                int thread = t;
                futures.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        String body = entry("actor", "user:t" + thread, "details", parse("{\"i\":" + i + "}"));
                        HttpResult res = appender.post(body);
                        if (res.status() != 201) {
                            failures.add(res.toString());
                        } else {
                            eventIds.add(parse(body).getString("event_id"));
                        }
                        if (i == 12) {
                            HttpResult replay = appender.post(shared);
                            if (replay.status() != 201) {
                                failures.add(replay.toString());
                            } else {
                                sharedIds.add(replay.data().getString("id"));
                            }
                        }
                    }
                    if (thread % 4 == 0) {
                        String[] batch = new String[20];
                        for (int i = 0; i < batch.length; i++) {
                            batch[i] = entry("actor", "user:batch" + thread);
                            eventIds.add(parse(batch[i]).getString("event_id"));
                        }
                        HttpResult res = appender.batch(AuditTestSupport.batchOf(batch));
                        if (res.status() != 201) {
                            failures.add(res.toString());
                        }
                    }
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        }
        assertThat(failures).isEmpty();
        long expected = 16 * 25 + 4 * 20 + 1;
        assertThat(new HashSet<>(sharedIds))
                .as("the shared event is stored once")
                .hasSize(1);
        assertThat(total()).isEqualTo(before + expected);
        assertThat(scalar(db, "SELECT count(DISTINCT event_id) FROM audit_entries"))
                .isEqualTo(String.valueOf(before + expected));
        assertThat(scalar(db, "SELECT min(seq) || '-' || max(seq) FROM audit_entries"))
                .isEqualTo("1-" + (headBefore + expected));
        assertThat(scalar(db, "SELECT seq FROM audit_chain_head")).isEqualTo(String.valueOf(headBefore + expected));
        Set<String> stored = new HashSet<>();
        try (var c = AuditTestSupport.connect(db);
                var s = c.createStatement();
                var rs = s.executeQuery("SELECT CAST(event_id AS text) FROM audit_entries")) {
            while (rs.next()) {
                stored.add(rs.getString(1));
            }
        }
        assertThat(stored).containsAll(eventIds);
        assertThat(
                        scalar(
                                db,
                                "SELECT count(*) FROM (SELECT prev_hash FROM audit_entries GROUP BY prev_hash HAVING count(*) > 1) f"))
                .as("no two entries follow the same link")
                .isEqualTo("0");
        assertIntact(api.verify(), total());
    }

    @Test
    void anUpdatedIdIsDetected() {
        JsonObject middle = three().get(1);
        long seq = middle.getJsonNumber("seq").longValueExact();
        JsonObject verify = tampered(seq, "UPDATE audit_entries SET id = gen_random_uuid() WHERE seq = " + seq);
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
        assertThat(verify.getJsonNumber("first_broken_seq").longValueExact()).isEqualTo(seq);
    }
}

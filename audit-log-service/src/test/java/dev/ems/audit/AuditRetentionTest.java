package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.assertBroken;
import static dev.ems.audit.AuditTestSupport.assertIntact;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.scalar;
import static dev.ems.audit.AuditTestSupport.sql;
import static dev.ems.testing.Envelopes.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Retention ({@link AuditService#purgeRecordedBefore}, as Main schedules it; the rule in {@link Retention}): a prefix of the chain goes, a checkpoint
 * keeps verify whole, the purge is itself in the trail, and tampering after a purge is still found. The steps build
 * on each other, in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditRetentionTest extends AuditServiceTestBase {
    private static final List<JsonObject> OLD = new ArrayList<>();
    private static final List<JsonObject> RECENT = new ArrayList<>();
    private static Instant cutoff;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // retention.days 0: Main would schedule nothing; the test drives the purge itself
        start(server, Map.of("audit.log.service.retention.days", "0"));
    }

    private long rows() {
        return Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries"));
    }

    @Test
    @Order(1)
    void nothingToPurgeOnAnEmptyTrail() {
        assertThat(audit.purgeRecordedBefore(Instant.now())).isZero();
        assertThat(rows()).isZero();
        assertThat(scalar(db, "SELECT count(*) FROM audit_checkpoints")).isEqualTo("0");
        assertIntact(api.verify(), 0);
    }

    @Test
    @Order(2)
    void purgeRemovesWhatWasRecordedBeforeTheCutoffAndRecordsItself() throws InterruptedException {
        for (int i = 0; i < 5; i++) {
            OLD.add(appender.create(entry("entity_type", "old")));
        }
        Thread.sleep(5);
        cutoff = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Thread.sleep(5);
        for (int i = 0; i < 3; i++) {
            RECENT.add(appender.create(entry("entity_type", "recent")));
        }
        assertThat(Instant.parse(OLD.getLast().getString("recorded_at"))).isBefore(cutoff);
        assertThat(Instant.parse(RECENT.getFirst().getString("recorded_at"))).isAfterOrEqualTo(cutoff);

        assertThat(audit.purgeRecordedBefore(cutoff)).isEqualTo(5);

        for (JsonObject old : OLD) {
            assertError(api.getEntry(old.getString("id")), 404, "NOT_FOUND");
        }
        for (JsonObject recent : RECENT) {
            assertThat(api.getEntry(recent.getString("id")).data()).isEqualTo(recent);
        }
        assertThat(api.get(AUDIT + "?entity_type=old").dataArray()).isEmpty();
        assertThat(scalar(db, "SELECT through_seq || ',' || purged_count FROM audit_checkpoints"))
                .isEqualTo("5,5");

        JsonArray purges = api.get(AUDIT + "?service=audit-log-service&actor=system:retention&action=purge")
                .dataArray();
        assertThat(purges).hasSize(1);
        JsonObject purge = purges.getJsonObject(0);
        assertThat(purge.getJsonNumber("seq").longValueExact()).isEqualTo(9);
        assertThat(purge.getString("prev_hash")).isEqualTo(RECENT.getLast().getString("hash"));
        JsonObject details = purge.getJsonObject("details");
        assertThat(details.getJsonNumber("purged_count").longValueExact()).isEqualTo(5);
        assertThat(details.getJsonNumber("through_seq").longValueExact()).isEqualTo(5);
        assertThat(Instant.parse(details.getString("recorded_before"))).isEqualTo(cutoff);

        assertIntact(api.verify(), 4);
        assertIntact(api.verify("?from=2000-01-01T00:00:00Z"), 4);
        assertIntact(api.verify("?from=" + RECENT.get(1).getString("recorded_at")), 3);
        assertIntact(api.verify("?to=" + purge.getString("recorded_at")), 3);
    }

    @Test
    @Order(3)
    void purgingAgainWithTheSameCutoffRemovesNothing() {
        long before = rows();
        assertThat(audit.purgeRecordedBefore(cutoff)).isZero();
        assertThat(rows()).isEqualTo(before);
        assertThat(scalar(db, "SELECT count(*) FROM audit_checkpoints")).isEqualTo("1");
        assertIntact(api.verify(), 4);
    }

    @Test
    @Order(4)
    void tamperingAfterAPurgeIsStillFound() {
        JsonObject first = RECENT.getFirst();
        long seq = first.getJsonNumber("seq").longValueExact();
        assertThat(seq).isEqualTo(6);

        sql(
                db,
                "CREATE TABLE saved AS SELECT * FROM audit_entries WHERE seq = 6",
                "UPDATE audit_entries SET actor = 'user:mallory' WHERE seq = 6");
        assertBroken(api.verify(), 6, first.getString("id"));
        sql(db, "DELETE FROM audit_entries WHERE seq = 6");
        assertBroken(api.verify(), 7, RECENT.get(1).getString("id"));
        sql(db, "INSERT INTO audit_entries SELECT * FROM saved", "DROP TABLE saved");
        assertIntact(api.verify(), 4);

        // the checkpoint is part of what verify trusts, and sealed: rewriting or moving it without the key is found
        sql(db, "UPDATE audit_checkpoints SET last_hash = repeat('3', 64)");
        assertBroken(api.verify(), 5, null);
        sql(db, "UPDATE audit_checkpoints SET last_hash = '" + OLD.getLast().getString("hash") + "'");
        assertIntact(api.verify(), 4);
        sql(db, "CREATE TABLE saved_cp AS SELECT * FROM audit_checkpoints", "DELETE FROM audit_checkpoints");
        JsonObject noCheckpoint = api.verify();
        assertThat(noCheckpoint.getBoolean("intact"))
                .as(noCheckpoint.toString())
                .isFalse();
        sql(db, "INSERT INTO audit_checkpoints SELECT * FROM saved_cp", "DROP TABLE saved_cp");
        assertIntact(api.verify(), 4);

        // deleting the next entry too and moving the checkpoint over it (its hash is in the table) takes the key
        sql(
                db,
                "CREATE TABLE saved AS SELECT * FROM audit_entries WHERE seq = 6",
                "CREATE TABLE saved_cp AS SELECT * FROM audit_checkpoints",
                "UPDATE audit_checkpoints SET through_seq = 6, last_hash = (SELECT hash FROM saved)",
                "DELETE FROM audit_entries WHERE seq = 6");
        assertBroken(api.verify(), 6, null);
        sql(
                db,
                "INSERT INTO audit_entries SELECT * FROM saved",
                "DELETE FROM audit_checkpoints",
                "INSERT INTO audit_checkpoints SELECT * FROM saved_cp",
                "DROP TABLE saved",
                "DROP TABLE saved_cp");
        assertIntact(api.verify(), 4);
    }

    @Test
    @Order(5)
    void appendsGoOnAfterAPurgeAndASecondPurgeChainsFromTheFirst() throws InterruptedException {
        JsonObject later = appender.create(entry("entity_type", "later"));
        assertThat(later.getJsonNumber("seq").longValueExact()).isEqualTo(10);
        Thread.sleep(5);
        Instant everything = Instant.now();
        assertThat(audit.purgeRecordedBefore(everything)).isEqualTo(5);
        assertThat(rows()).isEqualTo(1);
        assertThat(
                        scalar(
                                db,
                                "SELECT string_agg(through_seq || ',' || purged_count, ';' ORDER BY id) FROM audit_checkpoints"))
                .isEqualTo("5,5;10,5");
        JsonArray all = api.get(AUDIT).dataArray();
        assertThat(all).hasSize(1);
        JsonObject purge = all.getJsonObject(0);
        assertThat(purge.getString("actor")).isEqualTo("system:retention");
        assertThat(purge.getJsonNumber("seq").longValueExact()).isEqualTo(11);
        assertThat(purge.getString("prev_hash")).isEqualTo(later.getString("hash"));
        assertThat(purge.getJsonObject("details").getJsonNumber("through_seq").longValueExact())
                .isEqualTo(10);
        assertIntact(api.verify(), 1);

        sql(db, "UPDATE audit_entries SET details = '{}' WHERE seq = 11");
        assertBroken(api.verify(), 11, purge.getString("id"));
    }
}

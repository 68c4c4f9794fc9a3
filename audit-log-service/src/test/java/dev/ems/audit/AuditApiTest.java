package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.ABSENT;
import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.HEX64;
import static dev.ems.audit.AuditTestSupport.batchOf;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.scalar;
import static dev.ems.audit.AuditTestSupport.unique;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertValidation;
import static dev.ems.testing.JsonBodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import io.helidon.http.Method;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Appending single entries and batches, idempotent re-sends, reading by id, and the append-only refusals. */
class AuditApiTest extends AuditServiceTestBase {
    private static final String ENTRY_FIELDS = "id event_id occurred_at recorded_at service actor action entity_type "
            + "entity_id request_id details client_address user_agent seq prev_hash hash key_id trace_id";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, Map.of("audit.log.service.batch.max-entries", "500"));
    }

    private long count() {
        return Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries"));
    }

    // ---------------------------------------------------------------- single entries

    @Test
    void createReturns201WithLocationAndEveryField() {
        String eventId = UUID.randomUUID().toString();
        String entityId = unique("order");
        Instant before = Instant.now().minusSeconds(1);
        HttpResult res = appender("order-service")
                .post(entry(
                        "event_id",
                        eventId,
                        "occurred_at",
                        "2025-03-01T10:15:30.123456Z",
                        "service",
                        "order-service",
                        "actor",
                        "user:42",
                        "action",
                        "status_change",
                        "entity_type",
                        "order",
                        "entity_id",
                        entityId,
                        "request_id",
                        "req-1",
                        "details",
                        parse("{\"from\":\"pending\",\"to\":\"confirmed\",\"n\":1.5}"),
                        "client_address",
                        "203.0.113.7",
                        "user_agent",
                        "curl/8.0"));

        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        assertThat(res.header("Content-Type")).startsWith("application/json");
        assertThat(res.hasHeader("Idempotent-Replayed")).as("only on replays").isFalse();
        JsonObject json = res.json();
        assertThat(json.getBoolean("success")).isTrue();
        assertThat(json.containsKey("meta")).isFalse();
        JsonObject data = json.getJsonObject("data");
        assertThat(data.keySet()).containsExactlyInAnyOrder(ENTRY_FIELDS.split(" "));
        String id = data.getString("id");
        assertThat(UUID.fromString(id).toString()).isEqualTo(id);
        assertThat(res.header("Location")).isEqualTo(AUDIT + "/" + id);
        assertThat(data.getString("event_id")).isEqualTo(eventId);
        assertThat(Instant.parse(data.getString("occurred_at")))
                .isEqualTo(Instant.parse("2025-03-01T10:15:30.123456Z"));
        assertThat(Instant.parse(data.getString("recorded_at")))
                .isAfter(before)
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(data.getString("service")).isEqualTo("order-service");
        assertThat(data.getString("actor")).isEqualTo("user:42");
        assertThat(data.getString("action")).isEqualTo("status_change");
        assertThat(data.getString("entity_type")).isEqualTo("order");
        assertThat(data.getString("entity_id")).isEqualTo(entityId);
        assertThat(data.getString("request_id")).isEqualTo("req-1");
        assertThat(data.getJsonObject("details"))
                .isEqualTo(parse("{\"from\":\"pending\",\"to\":\"confirmed\",\"n\":1.5}"));
        assertThat(data.getString("client_address")).isEqualTo("203.0.113.7");
        assertThat(data.getString("user_agent")).isEqualTo("curl/8.0");
        assertThat(data.getJsonNumber("seq").longValueExact()).isPositive();
        assertThat(data.getString("prev_hash")).matches(HEX64);
        assertThat(data.getString("hash")).matches(HEX64).isNotEqualTo(data.getString("prev_hash"));

        HttpResult got = api.get(res.header("Location"));
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.data()).isEqualTo(data);
    }

    @Test
    void optionalFieldsDefaultToNullAndDetailsToAnEmptyObject() {
        JsonObject data = appender.create(entry());
        assertThat(data.isNull("request_id")).isTrue();
        assertThat(data.isNull("client_address")).isTrue();
        assertThat(data.isNull("user_agent")).isTrue();
        assertThat(data.getJsonObject("details")).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);

        JsonObject explicitNulls =
                appender.create(entry("details", null, "request_id", null, "client_address", null, "user_agent", null));
        assertThat(explicitNulls.getJsonObject("details")).isEqualTo(JsonValue.EMPTY_JSON_OBJECT);
        assertThat(explicitNulls.isNull("request_id")).isTrue();
    }

    @Test
    void eachAppendExtendsTheChain() {
        JsonObject first = appender.create(entry());
        JsonObject second = appender.create(entry());
        assertThat(second.getJsonNumber("seq").longValueExact())
                .isEqualTo(first.getJsonNumber("seq").longValueExact() + 1);
        assertThat(second.getString("prev_hash")).isEqualTo(first.getString("hash"));
    }

    @Test
    void timestampsAreKeptToTheMicrosecondInUtc() {
        JsonObject data = appender.create(entry("occurred_at", "2025-06-30T23:59:59.123456789+02:00"));
        assertThat(data.getString("occurred_at")).isEqualTo("2025-06-30T21:59:59.123456Z");
    }

    @Test
    void textIsStoredTrimmed() {
        JsonObject data = appender.create(entry("actor", "  user:bob  ", "entity_id", " 17 "));
        assertThat(data.getString("actor")).isEqualTo("user:bob");
        assertThat(data.getString("entity_id")).isEqualTo("17");
    }

    @Test
    void getOfAnUnknownIdIs404AndOfAMalformedIdIs400() {
        assertError(api.getEntry(UUID.randomUUID().toString()), 404, "NOT_FOUND");
        for (String bad : new String[] {"not-a-uuid", "1-1-1-1-1", "123", UUID.randomUUID() + "x"}) {
            Envelopes.assertInvalidParameter(api.getEntry(bad), "id");
        }
    }

    // ---------------------------------------------------------------- idempotency

    @Test
    void resendingTheSameEventReplaysTheStoredEntry() {
        String body = entry("details", parse("{\"a\":1}"), "request_id", "r-replay");
        HttpResult first = appender.post(body);
        assertThat(first.status()).isEqualTo(201);
        long before = count();

        HttpResult again = appender.post(body);
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.header("Location")).isEqualTo(first.header("Location"));
        assertThat(again.data()).isEqualTo(first.data());
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void detailsKeyOrderNumberSpellingAndTimestampFormDoNotMakeADifferentEvent() {
        String eventId = UUID.randomUUID().toString();
        String entityId = unique("e");
        String original = "{\"event_id\":\"" + eventId
                + "\",\"occurred_at\":\"2025-05-05T12:00:00Z\",\"service\":\"user-service\","
                + "\"actor\":\"user:1\",\"action\":\"update\",\"entity_type\":\"user\",\"entity_id\":\"" + entityId
                + "\","
                + "\"details\":{\"price\":1.5,\"name\":\"x\",\"nested\":{\"b\":10,\"a\":[1.0,2]},\"zero\":0}}";
        JsonObject created = appender.create(original);
        long before = count();
        String respelled =
                "{\"details\":{\"zero\":0.00,\"nested\":{\"a\":[1,2.000],\"b\":1E+1},\"name\":\"x\",\"price\":1.50},"
                        + "\"entity_id\":\"" + entityId
                        + "\",\"entity_type\":\"user\",\"action\":\"update\",\"actor\":\" user:1 \","
                        + "\"service\":\"user-service\",\"occurred_at\":\"2025-05-05T14:00:00.000+02:00\",\"event_id\":\""
                        + eventId + "\","
                        + "\"request_id\":\"\"}";
        HttpResult again = appender.post(respelled);
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        assertThat(again.data()).isEqualTo(created);
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void theSameEventIdWithDifferentContentIs409() {
        String eventId = UUID.randomUUID().toString();
        String entityId = unique("c");
        JsonObject created = appender.create(entry(
                "event_id",
                eventId,
                "entity_id",
                entityId,
                "occurred_at",
                "2025-01-01T00:00:00Z",
                "details",
                parse("{\"n\":1.5}")));
        long before = count();
        List<String> variants = List.of(
                entry(
                        "event_id",
                        eventId,
                        "entity_id",
                        entityId,
                        "occurred_at",
                        "2025-01-01T00:00:00Z",
                        "details",
                        parse("{\"n\":1.51}")),
                entry(
                        "event_id",
                        eventId,
                        "entity_id",
                        entityId,
                        "occurred_at",
                        "2025-01-01T00:00:00.000001Z",
                        "details",
                        parse("{\"n\":1.5}")),
                entry(
                        "event_id",
                        eventId,
                        "entity_id",
                        entityId,
                        "occurred_at",
                        "2025-01-01T00:00:00Z",
                        "details",
                        parse("{\"n\":1.5}"),
                        "action",
                        "delete"),
                entry(
                        "event_id",
                        eventId,
                        "entity_id",
                        entityId,
                        "occurred_at",
                        "2025-01-01T00:00:00Z",
                        "details",
                        parse("{\"n\":1.5}"),
                        "request_id",
                        "added"),
                entry(
                        "event_id",
                        eventId,
                        "entity_id",
                        entityId,
                        "occurred_at",
                        "2025-01-01T00:00:00Z",
                        "details",
                        parse("{\"n\":\"1.5\"}")),
                entry("event_id", eventId, "entity_id", entityId, "occurred_at", "2025-01-01T00:00:00Z"));
        for (String variant : variants) {
            HttpResult res = assertError(appender.post(variant), 409, "CONFLICT");
            assertThat(res.detailFields()).containsExactly("event_id");
        }
        assertThat(count()).isEqualTo(before);
        assertThat(api.getEntry(created.getString("id")).data()).isEqualTo(created);
    }

    // ---------------------------------------------------------------- batches

    @Test
    void batchAppendsInOrderWithMeta() {
        String entity = unique("batch");
        List<String> entries = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            entries.add(entry("entity_id", entity, "details", parse("{\"i\":" + i + "}")));
        }
        HttpResult res = appender.createBatch(entries.toArray(String[]::new));
        JsonArray data = res.dataArray();
        assertThat(data).hasSize(5);
        long firstSeq = data.getJsonObject(0).getJsonNumber("seq").longValueExact();
        for (int i = 0; i < 5; i++) {
            JsonObject e = data.getJsonObject(i);
            assertThat(e.getString("event_id")).isEqualTo(parse(entries.get(i)).getString("event_id"));
            assertThat(e.getJsonObject("details").getInt("i")).isEqualTo(i);
            assertThat(e.getJsonNumber("seq").longValueExact()).isEqualTo(firstSeq + i);
            if (i > 0) {
                assertThat(e.getString("prev_hash"))
                        .isEqualTo(data.getJsonObject(i - 1).getString("hash"));
            }
        }
        assertThat(res.meta()).isEqualTo(parse("{\"received\":5,\"created\":5,\"duplicates\":0}"));
        assertThat(res.hasHeader("Idempotent-Replayed")).isFalse();
    }

    @Test
    void batchDuplicatesAreAnsweredFromTheTrail() {
        String known = entry();
        JsonObject stored = appender.create(known);
        String fresh = entry();
        long before = count();

        HttpResult res = appender.createBatch(fresh, known, fresh);
        JsonArray data = res.dataArray();
        assertThat(data).hasSize(3);
        assertThat(data.getJsonObject(1)).isEqualTo(stored);
        assertThat(data.getJsonObject(2)).isEqualTo(data.getJsonObject(0));
        assertThat(res.meta()).isEqualTo(parse("{\"received\":3,\"created\":1,\"duplicates\":2}"));
        assertThat(count()).isEqualTo(before + 1);

        HttpResult again = appender.createBatch(fresh, known);
        assertThat(again.meta()).isEqualTo(parse("{\"received\":2,\"created\":0,\"duplicates\":2}"));
        assertThat(count()).isEqualTo(before + 1);
    }

    @Test
    void oneBadEntryRefusesTheWholeBatch() {
        String entity = unique("atomic");
        long before = count();
        HttpResult res = appender.batch(batchOf(
                entry("entity_id", entity),
                entry("entity_id", entity, "action", "Delete"),
                entry("entity_id", entity),
                entry("entity_id", entity, "event_id", ABSENT, "service", "")));
        assertValidation(res, "entries[1].action", "entries[3].event_id", "entries[3].service");
        assertThat(count()).isEqualTo(before);
        assertThat(api.get(AUDIT + "?entity_id=" + entity).dataArray()).isEmpty();
    }

    @Test
    void aConflictInsideABatchRefusesTheWholeBatch() {
        String eventId = UUID.randomUUID().toString();
        String entity = unique("conflict");
        long before = count();
        assertError(
                appender.batch(batchOf(
                        entry("entity_id", entity),
                        entry("event_id", eventId, "entity_id", entity, "action", "create"),
                        entry("event_id", eventId, "entity_id", entity, "action", "delete"))),
                409,
                "CONFLICT");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void batchSizeIsOneToMaxEntries() {
        assertValidation(appender.batch("{\"entries\":[]}"), "entries");
        assertValidation(appender.batch("{}"), "entries");
        assertValidation(appender.batch("{\"entries\":null}"), "entries");
        String entity = unique("size");
        String[] tooMany = new String[501];
        for (int i = 0; i < tooMany.length; i++) {
            tooMany[i] = entry("entity_id", entity);
        }
        HttpResult res = assertValidation(appender.batch(batchOf(tooMany)), "entries");
        assertThat(res.detailMessage("entries")).contains("500");
        assertThat(api.get(AUDIT + "?entity_id=" + entity).dataArray()).isEmpty();

        HttpResult max = appender.createBatch(java.util.Arrays.copyOf(tooMany, 500));
        assertThat(max.meta()).isEqualTo(parse("{\"received\":500,\"created\":500,\"duplicates\":0}"));
    }

    @Test
    void batchEntriesMustBeObjects() {
        assertValidation(appender.batch("{\"entries\":[null]}"), "entries[0]");
        assertValidation(appender.batch("{\"entries\":[42]}"), "entries[0]");
        assertValidation(appender.batch("{\"entries\":" + entry() + "}"), "entries");
        assertValidation(appender.batch("{\"entries\":[" + entry() + "],\"extra\":1}"), "extra");
    }

    // ---------------------------------------------------------------- append-only

    @Test
    void changingOrDeletingIs405WithAllowAndTheReason() {
        JsonObject created = appender.create(entry());
        String id = created.getString("id");
        for (Method method : new Method[] {Method.PUT, Method.PATCH, Method.DELETE}) {
            HttpResult onId = assertError(
                    api.call(
                            method,
                            AUDIT + "/" + id,
                            Method.DELETE.equals(method) ? null : entry(),
                            "Content-Type",
                            "application/json"),
                    405,
                    "METHOD_NOT_ALLOWED");
            assertThat(onId.header("Allow")).isEqualTo("GET");
            assertThat(onId.error().getString("message")).contains("append-only");

            HttpResult onCollection = assertError(
                    api.call(
                            method,
                            AUDIT,
                            Method.DELETE.equals(method) ? null : entry(),
                            "Content-Type",
                            "application/json"),
                    405,
                    "METHOD_NOT_ALLOWED");
            assertThat(onCollection.header("Allow")).isEqualTo("GET, POST");
            assertThat(onCollection.error().getString("message")).contains("append-only");
        }
        assertThat(api.getEntry(id).data()).isEqualTo(created);
    }

    @Test
    void otherEndpointsAnswer405WithAllowToo() {
        assertThat(assertError(api.get(AUDIT + "/batch"), 405, "METHOD_NOT_ALLOWED")
                        .header("Allow"))
                .isEqualTo("POST");
        assertThat(assertError(
                                api.call(Method.PUT, AUDIT + "/verify", "{}", "Content-Type", "application/json"),
                                405,
                                "METHOD_NOT_ALLOWED")
                        .header("Allow"))
                .isEqualTo("GET, POST");
        assertThat(assertError(api.call(Method.DELETE, AUDIT + "/export", null), 405, "METHOD_NOT_ALLOWED")
                        .header("Allow"))
                .isEqualTo("GET");
    }

    // ---------------------------------------------------------------- bugs

    @Test
    void occurredAtOutsideTheSupportedRangeIsRefusedNotShifted() {
        // before 1970 (before 1582 the JDBC mapping would shift it by days) and past 9999: 400, never stored altered
        for (String when : new String[] {"1500-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "+10000-01-01T00:00:00Z"}) {
            HttpResult res = appender.post(entry("occurred_at", when));
            assertThat(res.status()).as(when + ": " + res).isEqualTo(400);
            assertThat(res.body()).contains("occurred_at");
        }
        assertThat(appender.create(entry("occurred_at", "1970-01-01T00:00:00Z")).getString("occurred_at"))
                .isEqualTo("1970-01-01T00:00:00Z");
    }

    static OffsetDateTime utc(String text) {
        return OffsetDateTime.parse(text).withOffsetSameInstant(ZoneOffset.UTC);
    }
}

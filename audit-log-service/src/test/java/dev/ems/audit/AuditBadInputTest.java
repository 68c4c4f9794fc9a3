package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.ABSENT;
import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.ago;
import static dev.ems.audit.AuditTestSupport.batchOf;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.scalar;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertValidation;
import static dev.ems.testing.JsonBodies.array;
import static dev.ems.testing.JsonBodies.parse;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import dev.ems.testing.LogCapture;
import dev.ems.testing.RawHttp;
import dev.ems.testing.TestIssuer;
import io.helidon.http.Method;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * What the trail refuses before anything is stored: broken JSON, wrong media types, wrong shapes and types, unknown
 * fields, and values that break the rules. Every answer is a 4xx envelope that leaks nothing internal.
 */
class AuditBadInputTest extends AuditServiceTestBase {
    private static final int MAX_BODY = 64 * 1024;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, Map.of("audit.log.service.max-body-bytes", String.valueOf(MAX_BODY)));
    }

    private static final int JSON_LIMIT = 16 * 1024;

    private long count() {
        return Long.parseLong(scalar(db, "SELECT count(*) FROM audit_entries"));
    }

    @Test
    void malformedJsonIsInvalidJson() {
        long before = count();
        String valid = entry();
        for (String broken : new String[] {
            "{\"event_id\":",
            "{",
            "}",
            "not json",
            "{'actor':'a'}",
            valid.replace("}", ",}"),
            "{\"actor\" \"a\"}",
            "{\"actor\":\"unterminated}",
            "\u0000",
            valid.substring(0, valid.length() - 1),
            "nul",
            valid + " trailing",
            valid + valid,
            "{\"actor\":\"a\",\"actor\":\"b\"}"
        }) {
            assertError(appender.post(broken), 400, "INVALID_JSON");
            assertError(
                    appender.batch(broken.startsWith("{\"") ? "{\"entries\":[" + broken + "]}" : broken),
                    400,
                    "INVALID_JSON");
        }
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void emptyAndNonObjectBodiesAreInvalidJson() {
        long before = count();
        for (String body : new String[] {"", "  \n ", "[]", "[" + entry() + "]", "\"text\"", "42", "null", "true"}) {
            assertError(appender.post(body), 400, "INVALID_JSON");
            assertError(appender.batch(body), 400, "INVALID_JSON");
        }
        assertError(api.call(Method.POST, AUDIT, null, "Content-Type", "application/json"), 400, "INVALID_JSON");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void wrongOrMissingContentTypeIs415() {
        long before = count();
        for (String type :
                new String[] {"text/plain", "application/xml", "application/x-www-form-urlencoded", "text/json"}) {
            assertError(appender.post(entry(), "Content-Type", type), 415, "UNSUPPORTED_MEDIA_TYPE");
            assertError(appender.batch(batchOf(entry()), "Content-Type", type), 415, "UNSUPPORTED_MEDIA_TYPE");
        }
        byte[] json = entry().getBytes(StandardCharsets.UTF_8);
        assertError(
                RawHttp.exchange(
                        port,
                        "POST " + AUDIT + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: "
                                + TestIssuer.bearer(TestIssuer.serviceToken(issuer, "user-service"))
                                + "\r\nContent-Length: " + json.length + "\r\nConnection: close\r\n\r\n",
                        json),
                415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertThat(count()).isEqualTo(before);
        HttpResult charset = appender.post(entry(), "Content-Type", "application/json; charset=utf-8");
        assertThat(charset.status()).as(charset.toString()).isEqualTo(201);
    }

    @Test
    void freeFormDetailsAreBoundedInDepthAndSize() {
        long before = count();
        try (LogCapture log = LogCapture.start()) {
            // ~900 levels: under the body limit, and once a stack overflow (500) further down
            String deep = nested(900);
            assertThat(assertValidation(appender.post(withDetails(deep)), "details")
                            .detailMessage("details"))
                    .contains("32 levels");
            assertValidation(appender.batch(batchOf(withDetails(deep))), "entries[0].details");
            assertValidation(appender.post(withDetails(nested(33))), "details");
            String big = "{\"text\":\"" + "x".repeat(JSON_LIMIT) + "\"}";
            assertThat(assertValidation(appender.post(withDetails(big)), "details")
                            .detailMessage("details"))
                    .contains("16384 bytes");
            assertThat(log.stackTraces()).isEmpty();
        }
        assertThat(count()).as("nothing stored").isEqualTo(before);
        // at the limits: stored
        assertThat(appender.post(withDetails(nested(32))).status()).isEqualTo(201);
        assertThat(appender.post(withDetails("{\"text\":\"" + "x".repeat(JSON_LIMIT - 20) + "\"}"))
                        .status())
                .isEqualTo(201);
    }

    /** An entry body whose details are {@code rawJson}, written as it is. */
    private static String withDetails(String rawJson) {
        return entry("details", "DETAILS").replace("\"DETAILS\"", rawJson);
    }

    /** {"a":{"a":...1}} with {@code levels} objects. */
    private static String nested(int levels) {
        return "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
    }

    @Test
    void unknownFieldsAreRefusedByName() {
        assertValidation(appender.post(entry("id", UUID.randomUUID().toString())), "id");
        assertValidation(
                appender.post(entry("seq", 1, "hash", "0".repeat(64), "recorded_at", ago(0))),
                "seq",
                "hash",
                "recorded_at");
        assertValidation(appender.post(entry("eventId", UUID.randomUUID().toString())), "eventId");
        assertValidation(appender.batch("{\"entries\":[" + entry("prev_hash", "x") + "]}"), "entries[0].prev_hash");
    }

    @Test
    void wrongTypesAreRefusedByName() {
        assertValidation(
                appender.post(entry(
                        "event_id",
                        42,
                        "occurred_at",
                        true,
                        "service",
                        1,
                        "actor",
                        array(),
                        "action",
                        parse("{}"),
                        "entity_type",
                        1,
                        "entity_id",
                        17,
                        "request_id",
                        1,
                        "details",
                        "text",
                        "client_address",
                        false,
                        "user_agent",
                        3)),
                "event_id",
                "occurred_at",
                "service",
                "actor",
                "action",
                "entity_type",
                "entity_id",
                "request_id",
                "details",
                "client_address",
                "user_agent");
        assertValidation(appender.post(entry("details", array(parse("{}")))), "details");
        assertValidation(
                appender.batch("{\"entries\":[" + entry("details", 1) + "," + entry("actor", 2) + "]}"),
                "entries[0].details",
                "entries[1].actor");
    }

    @Test
    void requiredFieldsAreNamed() {
        assertValidation(
                appender.post("{}"),
                "event_id",
                "occurred_at",
                "service",
                "actor",
                "action",
                "entity_type",
                "entity_id");
        assertValidation(
                appender.post(entry("actor", "  ", "entity_id", "", "service", null)), "actor", "entity_id", "service");
        assertValidation(appender.post(entry("event_id", null, "occurred_at", ABSENT)), "event_id", "occurred_at");
    }

    @Test
    void malformedValuesAreRefused() {
        long before = count();
        for (String bad : new String[] {
            "not-a-uuid", "1-1-1-1-1", UUID.randomUUID().toString().replace("-", ""), ""
        }) {
            assertValidation(appender.post(entry("event_id", bad)), "event_id");
        }
        for (String bad :
                new String[] {"yesterday", "2025-01-01", "2025-01-01T00:00:00", "2025-02-30T00:00:00Z", "", "1700000000"
                }) {
            assertValidation(appender.post(entry("occurred_at", bad)), "occurred_at");
        }
        for (String bad : new String[] {"User-Service", "user service", "-user", "user_service", "s".repeat(65), "ü"}) {
            HttpResult res = assertError(appender.post(entry("service", bad)), 400, "VALIDATION_ERROR");
            assertThat(res.detailFields()).as(res.body()).containsOnly("service");
        }
        for (String bad : new String[] {"Create", "status-change", "1create", "create!", "a".repeat(65), "_x"}) {
            HttpResult res = assertError(appender.post(entry("action", bad)), 400, "VALIDATION_ERROR");
            assertThat(res.detailFields()).as(res.body()).containsOnly("action");
        }
        assertValidation(
                appender.post(entry(
                        "actor",
                        "a".repeat(129),
                        "entity_type",
                        "t".repeat(65),
                        "entity_id",
                        "i".repeat(129),
                        "request_id",
                        "r".repeat(129),
                        "client_address",
                        "c".repeat(129),
                        "user_agent",
                        "u".repeat(513))),
                "actor",
                "entity_type",
                "entity_id",
                "request_id",
                "client_address",
                "user_agent");
        assertThat(count()).isEqualTo(before);
        assertThat(appender("s".repeat(64))
                        .post(entry(
                                "actor",
                                "a".repeat(128),
                                "entity_type",
                                "t".repeat(64),
                                "entity_id",
                                "i".repeat(128),
                                "service",
                                "s".repeat(64),
                                "action",
                                "a".repeat(64),
                                "client_address",
                                "c".repeat(128),
                                "user_agent",
                                "u".repeat(512)))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void occurredAtMayNotBeMoreThanFiveMinutesAhead() {
        assertValidation(appender.post(entry("occurred_at", ago(-6 * 60))), "occurred_at");
        assertValidation(appender.post(entry("occurred_at", "2999-01-01T00:00:00Z")), "occurred_at");
        assertThat(appender.post(entry("occurred_at", ago(-4 * 60))).status()).isEqualTo(201);
        assertThat(appender.post(entry("occurred_at", "2000-01-01T00:00:00Z")).status())
                .isEqualTo(201);
    }

    @Test
    void everyBadEntryOfABatchIsNamed() {
        long before = count();
        assertValidation(
                appender.batch(batchOf(
                        entry(),
                        entry("occurred_at", "2999-01-01T00:00:00Z"),
                        entry("service", "X"),
                        entry(),
                        entry("event_id", null, "actor", ""))),
                "entries[1].occurred_at",
                "entries[2].service",
                "entries[4].event_id",
                "entries[4].actor");
        assertThat(count()).isEqualTo(before);
        assertValidation(appender.batch(batchOf(entry(), entry("event_id", "nope"))), "entries[1].event_id");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void oversizedBodiesAre413Envelopes() {
        String big = entry("details", parse("{\"blob\":\"" + "x".repeat(MAX_BODY) + "\"}"));
        long before = count();
        assertError(appender.post(big), 413, "PAYLOAD_TOO_LARGE");
        assertThat(count()).isEqualTo(before);
    }

    @Test
    void unknownRoutesAre404Envelopes() {
        assertError(api.get(AUDIT + "/" + UUID.randomUUID() + "/history"), 404, "NOT_FOUND");
        assertError(api.get("/api/v1/audit-log"), 404, "NOT_FOUND");
    }

    @Test
    void aNulCharacterIs400NotA500() {
        assertValidation(appender.post(entry("actor", "a\u0000b")), "actor");
        assertValidation(appender.post(entry("user_agent", "ua\u0000")), "user_agent");
        HttpResult details = appender.post(entry("details", parse("{\"k\":\"a\\u0000b\"}")));
        assertThat(details.status()).as(details.toString()).isEqualTo(400);
        HttpResult key = appender.post(entry("details", parse("{\"a\\u0000\":1}")));
        assertThat(key.status()).as(key.toString()).isEqualTo(400);
    }

    @Test
    void anOversizedNumberInDetailsIs400NotA500() {
        String body = entry().replaceFirst("\\}$", ",\"details\":{\"n\":1e5000}}");
        HttpResult res = appender.post(body);
        assertThat(res.status()).as(res.toString()).isEqualTo(400);
        Envelopes.assertNoLeak(res.body());
    }

    @Test
    void aLoneSurrogateIsRefusedOrReplayable() {
        String body = entry().replaceFirst("\"actor\":\"[^\"]*\"", "\"actor\":\"a\\\\ud800b\"");
        HttpResult first = appender.post(body);
        if (first.status() == 201) {
            HttpResult again = appender.post(body);
            assertThat(again.status()).as(again.toString()).isEqualTo(201);
            assertThat(again.header("Idempotent-Replayed")).isEqualTo("true");
        } else {
            assertValidation(first, "actor");
        }
    }
}

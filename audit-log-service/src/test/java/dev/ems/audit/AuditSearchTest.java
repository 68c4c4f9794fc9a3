package dev.ems.audit;

import static dev.ems.audit.AuditTestSupport.AUDIT;
import static dev.ems.audit.AuditTestSupport.entry;
import static dev.ems.audit.AuditTestSupport.unique;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertInvalidParameter;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import dev.ems.testing.RawHttp;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

/** GET /api/v1/audit-logs: filters, newest-first order, keyset and numbered paging, and their parameter errors. */
class AuditSearchTest extends AuditServiceTestBase {
    /** Marks this class's fixture entries (entity_type), so searches see only them. */
    private static final String TYPE = unique("fixture");

    private static boolean seeded;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    /**
     * 12 fixture entries: occurred_at at whole hours of 2025-02-01 (hour i for entry i, entries 10 and 11 share
     * hour 9 with entry 9 so the seq tie-break shows), services/actors/actions varied. Each is appended by the service
     * it names (a service appends its own events only), one at a time, so that seq follows i.
     */
    private void seed() {
        if (seeded) {
            return;
        }
        AuditTestSupport.Api orderService = appender("order-service");
        for (int i = 0; i < 12; i++) {
            int hour = Math.min(i, 9);
            String service = i % 2 == 0 ? "user-service" : "order-service";
            (i % 2 == 0 ? appender : orderService)
                    .create(entry(
                            "entity_type",
                            TYPE,
                            "occurred_at",
                            String.format("2025-02-01T%02d:00:00Z", hour),
                            "service",
                            service,
                            "actor",
                            i % 3 == 0 ? "user:admin" : "user:bob",
                            "action",
                            i < 4 ? "create" : i < 8 ? "update" : "delete",
                            "entity_id",
                            "e" + (i % 4),
                            "request_id",
                            "req-" + (i / 2),
                            "details",
                            jakarta.json.Json.createObjectBuilder().add("i", i).build()));
        }
        seeded = true;
    }

    /** The fixture index ("i" in details) of each entry of a page, in order. */
    private static List<Integer> indexes(JsonArray data) {
        return data.stream()
                .map(v -> v.asJsonObject().getJsonObject("details").getInt("i"))
                .toList();
    }

    private List<Integer> search(String query) {
        HttpResult res = api.get(AUDIT + "?entity_type=" + TYPE + (query.isEmpty() ? "" : "&" + query));
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return indexes(res.dataArray());
    }

    @Test
    void newestFirstWithSeqBreakingTies() {
        seed();
        assertThat(search("")).containsExactly(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    @Test
    void eachFilterNarrowsTheResult() {
        seed();
        assertThat(search("service=order-service")).containsExactly(11, 9, 7, 5, 3, 1);
        assertThat(search("actor=user:admin")).containsExactly(9, 6, 3, 0);
        assertThat(search("action=update")).containsExactly(7, 6, 5, 4);
        assertThat(search("entity_id=e1")).containsExactly(9, 5, 1);
        assertThat(search("request_id=req-2")).containsExactly(5, 4);
        assertThat(search("service=nobody")).isEmpty();
        assertThat(api.get(AUDIT + "?entity_type=" + TYPE + "-other").dataArray())
                .isEmpty();
    }

    @Test
    void filtersCombine() {
        seed();
        assertThat(search("service=user-service&action=create")).containsExactly(2, 0);
        assertThat(search("service=order-service&actor=user:bob&action=delete")).containsExactly(11);
        assertThat(search("entity_id=e0&action=delete&from=2025-02-01T08:00:00Z"))
                .containsExactly(8);
        assertThat(search("actor=user:admin&action=create")).containsExactly(3, 0);
    }

    @Test
    void fromIsInclusiveAndToExclusive() {
        seed();
        assertThat(search("from=2025-02-01T03:00:00Z&to=2025-02-01T06:00:00Z")).containsExactly(5, 4, 3);
        assertThat(search("from=2025-02-01T09:00:00Z")).containsExactly(11, 10, 9);
        assertThat(search("to=2025-02-01T01:00:00Z")).containsExactly(0);
        assertThat(search("from=2025-02-01T05:00:00%2B02:00&to=2025-02-01T05:00:00%2B02:00"))
                .isEmpty();
        assertThat(search("from=2025-02-01T05:00:00%2B02:00&to=2025-02-01T06:00:00%2B02:00"))
                .containsExactly(3);
        assertThat(search("from=2025-02-01T09:00:00Z&to=2025-02-01T00:00:00Z")).isEmpty();
    }

    @Test
    void timestampsWithARawColonInTheQueryWork() {
        seed();
        HttpResult res = RawHttp.exchange(
                port,
                "GET " + AUDIT + "?entity_type=" + TYPE + "&from=2025-02-01T09:00:00Z HTTP/1.1\r\nHost: localhost\r\n"
                        + authorization() + "Connection: close\r\n\r\n",
                null);
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(indexes(res.dataArray())).containsExactly(11, 10, 9);
    }

    @Test
    void keysetPagesWalkEverythingOnceAndTheLastHasNoCursor() {
        seed();
        List<Integer> seen = new ArrayList<>();
        String cursor = null;
        int pages = 0;
        do {
            HttpResult res =
                    api.get(AUDIT + "?entity_type=" + TYPE + "&limit=5" + (cursor == null ? "" : "&cursor=" + cursor));
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            JsonObject meta = res.meta();
            assertThat(meta.getInt("limit")).isEqualTo(5);
            List<Integer> page = indexes(res.dataArray());
            assertThat(page.size()).isBetween(1, 5);
            seen.addAll(page);
            cursor = meta.containsKey("next_cursor") ? meta.getString("next_cursor") : null;
            if (cursor != null) {
                assertThat(page).hasSize(5);
                assertThat(meta.keySet()).containsExactlyInAnyOrder("limit", "next_cursor");
            } else {
                assertThat(meta.keySet()).containsExactly("limit");
            }
            pages++;
        } while (cursor != null);
        assertThat(pages).isEqualTo(3);
        assertThat(seen).containsExactly(11, 10, 9, 8, 7, 6, 5, 4, 3, 2, 1, 0);
    }

    @Test
    void theCursorWireFormatIsStable() {
        seed();
        // v1:<occurred_at in epoch microseconds>:<seq>, base64url without padding: cursors handed out before keep
        // working
        HttpResult first = api.get(AUDIT + "?entity_type=" + TYPE + "&limit=3");
        JsonObject last = first.dataArray().getJsonObject(2);
        long micros = java.time.temporal.ChronoUnit.MICROS.between(
                java.time.Instant.EPOCH, java.time.Instant.parse(last.getString("occurred_at")));
        String raw = "v1:" + micros + ":" + last.getJsonNumber("seq").longValueExact();
        String cursor = first.meta().getString("next_cursor");
        assertThat(new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8))
                .isEqualTo(raw);
        String handMade = Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
        assertThat(handMade).isEqualTo(cursor);
        assertThat(search("limit=3&cursor=" + handMade)).containsExactly(8, 7, 6);
    }

    @Test
    void aCursorKeepsItsPlaceWhenNewerEntriesArrive() {
        String type = unique("late");
        for (int hour = 1; hour <= 3; hour++) {
            appender.create(entry(
                    "entity_type",
                    type,
                    "occurred_at",
                    "2025-03-01T0" + hour + ":00:00Z",
                    "details",
                    jakarta.json.Json.createObjectBuilder().add("i", hour).build()));
        }
        HttpResult first = api.get(AUDIT + "?entity_type=" + type + "&limit=2");
        assertThat(indexes(first.dataArray())).containsExactly(3, 2);
        String cursor = first.meta().getString("next_cursor");
        appender.create(entry(
                "entity_type",
                type,
                "occurred_at",
                "2025-03-01T05:00:00Z",
                "details",
                jakarta.json.Json.createObjectBuilder().add("i", 5).build()));
        HttpResult next = api.get(AUDIT + "?entity_type=" + type + "&limit=2&cursor=" + cursor);
        assertThat(indexes(next.dataArray())).containsExactly(1);
        assertThat(next.meta().containsKey("next_cursor")).isFalse();
    }

    @Test
    void exactlyOneFullPageHasNoNextCursorOnTheFollowingOne() {
        seed();
        HttpResult all = api.get(AUDIT + "?entity_type=" + TYPE + "&limit=12");
        assertThat(all.dataArray()).hasSize(12);
        assertThat(all.meta().containsKey("next_cursor"))
                .as(all.meta().toString())
                .isFalse();
    }

    @Test
    void defaultLimitIs50() {
        seed();
        HttpResult res = api.get(AUDIT);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.meta().getInt("limit")).isEqualTo(50);
    }

    @Test
    void limitIsOneTo500() {
        for (String bad : new String[] {"0", "501", "-1", "abc", "1.5", ""}) {
            assertInvalidParameter(api.get(AUDIT + "?limit=" + bad), "limit");
        }
        assertThat(api.get(AUDIT + "?limit=500").status()).isEqualTo(200);
        assertThat(api.get(AUDIT + "?limit=1").meta().getInt("limit")).isEqualTo(1);
        assertInvalidParameter(api.get(AUDIT + "?limit=1&limit=2"), "limit");
    }

    @Test
    void numberedPagesWithTheUsualMeta() {
        seed();
        HttpResult first = api.get(AUDIT + "?entity_type=" + TYPE + "&page=1&page_size=5");
        assertThat(first.status()).as(first.toString()).isEqualTo(200);
        assertThat(indexes(first.dataArray())).containsExactly(11, 10, 9, 8, 7);
        assertMeta(first.meta(), 1, 5, 3, 12);
        HttpResult third = api.get(AUDIT + "?entity_type=" + TYPE + "&page=3&page_size=5");
        assertThat(indexes(third.dataArray())).containsExactly(1, 0);
        assertMeta(third.meta(), 3, 5, 3, 12);
        HttpResult beyond = api.get(AUDIT + "?entity_type=" + TYPE + "&page=9&page_size=5");
        assertThat(beyond.dataArray()).isEmpty();
        assertMeta(beyond.meta(), 9, 5, 3, 12);
        HttpResult sizeOnly = api.get(AUDIT + "?entity_type=" + TYPE + "&page_size=20&action=create");
        assertThat(indexes(sizeOnly.dataArray())).containsExactly(3, 2, 1, 0);
        assertMeta(sizeOnly.meta(), 1, 20, 1, 4);
        HttpResult pageOnly = api.get(AUDIT + "?entity_type=" + TYPE + "&page=2");
        assertThat(indexes(pageOnly.dataArray())).containsExactly(1, 0);
        assertMeta(pageOnly.meta(), 2, 10, 2, 12);
    }

    @Test
    void numberedPageParametersAreChecked() {
        assertInvalidParameter(api.get(AUDIT + "?page=0"), "page");
        assertInvalidParameter(api.get(AUDIT + "?page=x"), "page");
        assertInvalidParameter(api.get(AUDIT + "?page_size=0"), "page_size");
        assertInvalidParameter(api.get(AUDIT + "?page_size=101"), "page_size");
    }

    @Test
    void mixingCursorPagingWithNumberedPagingIs400() {
        seed();
        String cursor =
                api.get(AUDIT + "?entity_type=" + TYPE + "&limit=2").meta().getString("next_cursor");
        for (String query : new String[] {
            "page=1&limit=10",
            "page_size=10&limit=10",
            "page=1&cursor=" + cursor,
            "page_size=5&cursor=" + cursor + "&limit=5"
        }) {
            assertError(api.get(AUDIT + "?" + query), 400, "INVALID_PARAMETER");
        }
    }

    @Test
    void aCursorThisServiceDidNotIssueIs400() {
        String wrongVersion =
                Base64.getUrlEncoder().withoutPadding().encodeToString("v2:1:1".getBytes(StandardCharsets.UTF_8));
        String notNumbers =
                Base64.getUrlEncoder().withoutPadding().encodeToString("v1:x:1".getBytes(StandardCharsets.UTF_8));
        String tooFew = Base64.getUrlEncoder().withoutPadding().encodeToString("v1:1".getBytes(StandardCharsets.UTF_8));
        String overflow = Base64.getUrlEncoder()
                .withoutPadding()
                .encodeToString("v1:99999999999999999999:1".getBytes(StandardCharsets.UTF_8));
        for (String bad :
                new String[] {"garbage!", "%%%", "abc", wrongVersion, notNumbers, tooFew, overflow, "x".repeat(201)}) {
            assertInvalidParameter(
                    api.get(AUDIT + "?cursor=" + java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8)), "cursor");
        }
    }

    @Test
    void malformedFiltersAre400() {
        for (String name : new String[] {"from", "to"}) {
            for (String bad : new String[] {"yesterday", "2025-02-30T00:00:00Z", "2025-02-01", "2025-02-01T00:00:00"}) {
                assertInvalidParameter(api.get(AUDIT + "?" + name + "=" + bad), name);
            }
        }
        assertInvalidParameter(api.get(AUDIT + "?service=" + "s".repeat(65)), "service");
        assertInvalidParameter(api.get(AUDIT + "?actor=" + "a".repeat(129)), "actor");
        assertInvalidParameter(api.get(AUDIT + "?service=a&service=b"), "service");
    }

    @Test
    void unknownQueryParametersAreRefusedNotIgnored() {
        // a misspelled filter must not answer with the whole trail
        assertInvalidParameter(api.get(AUDIT + "?servce=user-service"), "servce");
        assertInvalidParameter(api.get(AUDIT + "/export?foo=bar"), "foo");
        assertInvalidParameter(api.get(AUDIT + "/verify?limit=3"), "limit");
    }

    @Test
    void outOfRangeTimestampsAre400() {
        String huge = "%2B999999999-12-31T23:59:59Z";
        assertInvalidParameter(api.get(AUDIT + "?from=" + huge), "from");
        assertInvalidParameter(api.get(AUDIT + "?to=" + huge + "&page=1"), "to");
        assertInvalidParameter(api.get(AUDIT + "/export?from=" + huge), "from");
        assertInvalidParameter(api.get(AUDIT + "/verify?from=" + huge), "from");
    }

    private static void assertMeta(JsonObject meta, long page, int pageSize, long totalPages, long totalCount) {
        assertThat(meta.getJsonNumber("page").longValueExact()).isEqualTo(page);
        assertThat(meta.getInt("page_size")).isEqualTo(pageSize);
        assertThat(meta.getJsonNumber("total_pages").longValueExact()).isEqualTo(totalPages);
        assertThat(meta.getJsonNumber("total_count").longValueExact()).isEqualTo(totalCount);
        assertThat(meta.keySet()).containsExactlyInAnyOrder("page", "page_size", "total_pages", "total_count");
    }
}

package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertInvalidParameter;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import dev.ems.testing.TestPostgres;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Keyset paging of GET /api/v1/users (limit, cursor, meta.next_cursor) over a database of its own: whole walks equal
 * the numbered listing, with filters; ties on created_at broken by id (rows written directly in SQL); changes during a
 * walk; limit rules; cursors this list did not issue; mixing with page/page_size.
 */
class UserKeysetTest extends UserServiceTestBase {
    private static final String DATABASE = TestPostgres.createDatabase();
    private static final int WALKERS = 25;
    /** Users with one created_at (to the microsecond), then users one microsecond later: ties broken by id. */
    private static final String TIE = "2020-01-01 00:00:00.123456+00";

    private static final String TIE_PLUS_1US = "2020-01-01 00:00:00.123457+00";
    private static final List<String> TIED = new ArrayList<>();
    private static final List<String> TIED_LATER = new ArrayList<>();
    /** The API-created users, in creation order; index i is admin when i % 3 == 0, suspended when i % 4 == 0. */
    private static final List<String> WALKER_IDS = new ArrayList<>();

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server, DATABASE, Map.of());
    }

    @BeforeAll
    static void seed(WebServer server) {
        // inserted in an order unrelated to their ids, so only ORDER BY id can put them right
        for (int i = 0; i < 9; i++) {
            String id = UUID.randomUUID().toString();
            boolean later = i % 3 == 2;
            (later ? TIED_LATER : TIED).add(id);
            TestPostgres.sql(
                    DATABASE,
                    "INSERT INTO users (id, email, first_name, last_name, role, created_at, updated_at) "
                            + "VALUES ('" + id + "', 'tie" + i + "@ties.test', 'Tie', 'Number" + i + "', '"
                            + (i % 2 == 0 ? "admin" : "user") + "', '" + (later ? TIE_PLUS_1US : TIE) + "', '"
                            + (later ? TIE_PLUS_1US : TIE) + "')");
        }
        TIED.sort(Comparator.naturalOrder()); // PostgreSQL orders uuids as their canonical text does
        TIED_LATER.sort(Comparator.naturalOrder());
        UserTestSupport.Api api = seedingApi(server);
        for (int i = 0; i < WALKERS; i++) {
            WALKER_IDS.add(api.create(body(
                            "email",
                            String.format("walker%02d@keyset.test", i),
                            "first_name",
                            "Walker",
                            "last_name",
                            "Number" + i,
                            "role",
                            i % 3 == 0 ? "admin" : "user",
                            "status",
                            i % 4 == 0 ? "suspended" : "active"))
                    .getString("id"));
        }
    }

    @Test
    void walkingTheWholeListByCursorReturnsEveryLiveUserOnceInOrder() {
        HttpResult numbered = list("page_size=100");
        List<String> expected = numbered.ids();
        assertThat(expected)
                .hasSize((int) numbered.meta().getJsonNumber("total_count").longValueExact());
        assertThat(expected.subList(0, TIED.size() + TIED_LATER.size()))
                .as("the SQL-written users are the oldest, ties in id order")
                .isEqualTo(Stream.concat(TIED.stream(), TIED_LATER.stream()).toList());
        for (int limit : new int[] {1, 4, 7, 10, 100}) {
            List<String> walked = walk("", limit);
            assertThat(walked).as("limit " + limit).isEqualTo(expected);
            assertThat(new HashSet<>(walked)).hasSize(walked.size());
        }
        assertThat(walk("", 7)).containsSubsequence(WALKER_IDS);
    }

    @Test
    void filtersCombineWithTheCursor() {
        for (String filter : new String[] {
            "role=admin",
            "status=suspended",
            "status=active",
            "q=walker",
            "q=TIE",
            "q=number1",
            "role=admin&status=active&q=walker",
            "role=user&q=tie",
            "q=nobody"
        }) {
            List<String> expected = list(filter + "&page_size=100").ids();
            for (int limit : new int[] {1, 3, 100}) {
                assertThat(walk(filter, limit)).as(filter + " limit " + limit).isEqualTo(expected);
            }
        }
        List<String> activeAdminWalkers = new ArrayList<>();
        for (int i = 0; i < WALKERS; i++) {
            if (i % 3 == 0 && i % 4 != 0) {
                activeAdminWalkers.add(WALKER_IDS.get(i));
            }
        }
        assertThat(walk("role=admin&status=active&q=walker", 2)).isEqualTo(activeAdminWalkers);
        assertThat(walk("q=nobody", 5)).isEmpty();
    }

    @Test
    void tiesOnCreatedAtAreOrderedByIdAcrossPages() {
        List<String> expected =
                Stream.concat(TIED.stream(), TIED_LATER.stream()).toList();
        for (int limit = 1; limit <= 9; limit++) {
            assertThat(walk("q=tie", limit)).as("limit " + limit).isEqualTo(expected);
        }
        // a page that ends inside the first tie group goes on with the rest of the group, then the later one
        HttpResult first = list("q=tie&limit=2");
        assertThat(first.ids()).isEqualTo(TIED.subList(0, 2));
        HttpResult second = list("q=tie&limit=5&cursor=" + first.meta().getString("next_cursor"));
        assertThat(second.ids()).isEqualTo(expected.subList(2, 7));
    }

    @Test
    void usersCreatedOrDeletedDuringAWalkCauseNoDuplicatesOrSkipsOfTheOthers() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            ids.add(api.create("midwalk" + i + "@keyset.test", "Mid", "Walk" + i)
                    .getString("id"));
        }
        HttpResult page1 = list("q=midwalk&limit=4");
        assertThat(page1.ids()).isEqualTo(ids.subList(0, 4));
        String cursor = page1.meta().getString("next_cursor");

        // while the client holds the cursor: the user it points at, one already seen and one ahead are deleted,
        // and a new one is created
        assertThat(api.delete(ids.get(3)).status()).isEqualTo(204);
        assertThat(api.delete(ids.get(1)).status()).isEqualTo(204);
        assertThat(api.delete(ids.get(6)).status()).isEqualTo(204);
        String createdDuringPage1 =
                api.create("midwalk-a@keyset.test", "Mid", "Late").getString("id");

        HttpResult page2 = list("q=midwalk&limit=4&cursor=" + cursor);
        assertThat(page2.ids()).isEqualTo(List.of(ids.get(4), ids.get(5), ids.get(7), ids.get(8)));
        cursor = page2.meta().getString("next_cursor");
        String createdDuringPage2 =
                api.create("midwalk-b@keyset.test", "Mid", "Later").getString("id");
        assertThat(api.delete(ids.get(10)).status()).isEqualTo(204);

        List<String> rest = new ArrayList<>();
        walkFrom("q=midwalk", 4, cursor, rest::addAll);
        assertThat(rest).isEqualTo(List.of(ids.get(9), ids.get(11), createdDuringPage1, createdDuringPage2));

        List<String> seen = new ArrayList<>(page1.ids());
        seen.addAll(page2.ids());
        seen.addAll(rest);
        assertThat(new HashSet<>(seen)).as("no user twice").hasSize(seen.size());
        for (int i : new int[] {0, 2, 4, 5, 7, 8, 9, 11}) {
            assertThat(seen).as("user " + i + " stayed live the whole walk").containsOnlyOnce(ids.get(i));
        }
    }

    @Test
    void limitIsOneToAHundredAndTenByDefault() {
        HttpResult firstPage = list("cursor=");
        assertThat(firstPage.meta().getInt("limit"))
                .as("an empty cursor starts a keyset walk")
                .isEqualTo(10);
        assertThat(firstPage.ids()).hasSize(10);
        HttpResult next = list("cursor=" + firstPage.meta().getString("next_cursor"));
        assertThat(next.meta().getInt("limit")).isEqualTo(10);
        assertThat(next.ids()).hasSize(10);
        assertThat(list("limit=1").meta().getInt("limit")).isEqualTo(1);
        assertThat(list("limit=1").ids()).hasSize(1);
        assertThat(list("limit=100").meta().getInt("limit")).isEqualTo(100);
        assertThat(list("limit=%2010%20").ids())
                .as("surrounding blanks are tolerated, as for page_size")
                .hasSize(10);
        for (String bad :
                new String[] {"0", "101", "1000", "-1", "abc", "1.5", "", "1e2", "0x10", "99999999999999999999"}) {
            assertInvalidParameter(api.get(USERS + "?limit=" + bad), "limit");
        }
        assertInvalidParameter(api.get(USERS + "?limit=5&limit=6"), "limit");
    }

    @Test
    void theLastPageHasNoNextCursorEvenWhenItIsFull() {
        HttpResult exact = list("q=tie&limit=9");
        assertThat(exact.ids()).hasSize(9);
        assertThat(exact.meta().keySet()).containsExactly("limit");
        HttpResult almost = list("q=tie&limit=8");
        assertThat(almost.meta().keySet()).containsExactlyInAnyOrder("limit", "next_cursor");
        HttpResult last = list("q=tie&limit=8&cursor=" + almost.meta().getString("next_cursor"));
        assertThat(last.ids()).hasSize(1);
        assertThat(last.meta().keySet()).containsExactly("limit");
        HttpResult none = list("q=nobody&limit=5");
        assertThat(none.dataArray()).isEmpty();
        assertThat(none.meta().keySet()).containsExactly("limit");
        JsonObject user = list("limit=1").dataArray().getJsonObject(0);
        assertThat(user.keySet())
                .containsExactlyInAnyOrder(
                        "id",
                        "email",
                        "first_name",
                        "last_name",
                        "phone",
                        "role",
                        "status",
                        "subject",
                        "version",
                        "created_at",
                        "updated_at");
    }

    @Test
    void aCursorThisListDidNotIssueIs400() {
        String valid = list("limit=3").meta().getString("next_cursor");
        String raw = new String(Base64.getUrlDecoder().decode(valid), StandardCharsets.UTF_8);
        assertThat(raw).matches("u1:[0-9]+:[0-9a-f-]{36}");
        String[] parts = raw.split(":", -1);
        String auditCursor = b64("v1:" + ChronoUnit.MICROS.between(Instant.EPOCH, Instant.now()) + ":5");
        List<String> bad = List.of(
                "garbage!",
                "abc",
                "%%%",
                auditCursor, // another service's cursor
                b64("u2:" + parts[1] + ":" + parts[2]), // a format this list does not know
                b64("u1:" + parts[1]), // a field missing
                b64("u1:" + parts[1] + ":" + parts[2] + ":x"), // a field too many
                b64("u1:" + parts[1] + "x:" + parts[2]), // not a number
                b64("u1:99999999999999999999:" + parts[2]), // out of range
                b64("u1:" + parts[1] + ":" + parts[2].substring(1)), // not a UUID
                b64("u1:" + parts[1] + ":" + parts[2].toUpperCase(Locale.ROOT)), // not as issued
                valid + "=", // padded
                "A" + valid.substring(1), // tampered: the version is gone
                valid.substring(0, valid.length() - 6)); // truncated
        for (String cursor : bad) {
            HttpResult res = assertInvalidParameter(
                    api.get(USERS + "?cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8)), "cursor");
            assertThat(res.detailMessage("cursor")).as(cursor).contains("meta.next_cursor");
        }
        assertInvalidParameter(api.get(USERS + "?cursor=" + "x".repeat(201)), "cursor");
        assertInvalidParameter(api.get(USERS + "?cursor=" + valid + "&cursor=" + valid), "cursor");
        assertThat(api.get(USERS + "?cursor=" + valid).status()).isEqualTo(200);
    }

    @Test
    void mixingCursorPagingWithNumberedPagingIs400() {
        String cursor = list("limit=2").meta().getString("next_cursor");
        for (String query : new String[] {
            "page=1&limit=10",
            "page_size=10&limit=10",
            "page=1&cursor=" + cursor,
            "page_size=5&cursor=" + cursor + "&limit=5",
            "page=2&page_size=5&cursor=&status=active"
        }) {
            HttpResult res = assertError(api.get(USERS + "?" + query), 400, "INVALID_PARAMETER");
            assertThat(res.detailFields()).as(query).containsExactly("cursor");
            assertThat(res.detailMessage("cursor")).contains("not both");
        }
        // bad filters are reported whatever the paging
        assertInvalidParameter(api.get(USERS + "?limit=5&status=gone"), "status");
        assertInvalidParameter(api.get(USERS + "?limit=5&sort=email"), "sort");
    }

    /** Every page of a keyset walk, checked page by page; the ids in order. */
    private List<String> walk(String filter, int limit) {
        List<String> ids = new ArrayList<>();
        walkFrom(filter, limit, null, ids::addAll);
        return ids;
    }

    private void walkFrom(String filter, int limit, String cursor, Consumer<List<String>> pages) {
        int guard = 0;
        do {
            HttpResult res = list((filter.isEmpty() ? "" : filter + "&") + "limit=" + limit
                    + (cursor == null ? "" : "&cursor=" + cursor));
            JsonObject meta = res.meta();
            assertThat(meta.getInt("limit")).isEqualTo(limit);
            List<String> page = res.ids();
            cursor = meta.containsKey("next_cursor") ? meta.getString("next_cursor") : null;
            if (cursor != null) {
                assertThat(page).as("a page with a next page is full").hasSize(limit);
                assertThat(meta.keySet()).containsExactlyInAnyOrder("limit", "next_cursor");
            } else {
                assertThat(page.size()).isLessThanOrEqualTo(limit);
                assertThat(meta.keySet()).containsExactly("limit");
            }
            pages.accept(page);
            assertThat(++guard).as("walk ends").isLessThan(1000);
        } while (cursor != null);
    }

    private HttpResult list(String query) {
        HttpResult res = api.get(USERS + "?" + query);
        assertThat(res.status()).as(query + " -> " + res).isEqualTo(200);
        return res;
    }

    private static String b64(String raw) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }
}

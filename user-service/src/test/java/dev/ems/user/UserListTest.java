package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertMeta;
import static dev.ems.user.UserTestSupport.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pagination of GET /api/v1/users over exactly 25 users (a database of its own): meta, order, edges, bad parameters. */
class UserListTest extends UserServiceTestBase {
    private static final int USERS_COUNT = 25;
    private static final List<String> IDS = new ArrayList<>();

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @BeforeAll
    static void seed(WebServer server) {
        UserTestSupport.Api api = seedingApi(server);
        for (int i = 1; i <= USERS_COUNT; i++) {
            IDS.add(api.create(String.format("page%02d@paging.test", i), "Page", "User" + i)
                    .getString("id"));
        }
    }

    @Test
    void defaultsArePageOneOfTen() {
        HttpResult res = api.get(USERS);
        assertThat(res.status()).isEqualTo(200);
        assertThat(res.ids()).isEqualTo(IDS.subList(0, 10));
        assertMeta(res, 1, 10, 3, 25);
    }

    @Test
    void pagesOfTenWalkAllUsersInCreationOrder() {
        HttpResult p1 = list("page=1&page_size=10");
        HttpResult p2 = list("page=2&page_size=10");
        HttpResult p3 = list("page=3&page_size=10");
        assertMeta(p1, 1, 10, 3, 25);
        assertMeta(p2, 2, 10, 3, 25);
        assertMeta(p3, 3, 10, 3, 25);
        assertThat(p1.ids()).hasSize(10);
        assertThat(p2.ids()).hasSize(10);
        assertThat(p3.ids()).hasSize(5);

        List<String> all = new ArrayList<>(p1.ids());
        all.addAll(p2.ids());
        all.addAll(p3.ids());
        assertThat(new HashSet<>(all)).hasSize(25);
        assertThat(all).as("stable order: created_at, then id").isEqualTo(IDS);
        // and the order is stable from one request to the next
        assertThat(list("page=2&page_size=10").ids()).isEqualTo(p2.ids());
    }

    @Test
    void pageBeyondTheEndIsEmptyWithCorrectMeta() {
        HttpResult p4 = list("page=4&page_size=10");
        assertThat(p4.dataArray()).isEmpty();
        assertMeta(p4, 4, 10, 3, 25);

        HttpResult far = list("page=1000000&page_size=100");
        assertThat(far.dataArray()).isEmpty();
        assertMeta(far, 1000000, 100, 1, 25);
    }

    @Test
    void otherPageSizes() {
        HttpResult all = list("page_size=100");
        assertThat(all.ids()).isEqualTo(IDS);
        assertMeta(all, 1, 100, 1, 25);

        HttpResult one = list("page=25&page_size=1");
        assertThat(one.ids()).containsExactly(IDS.get(24));
        assertMeta(one, 25, 1, 25, 25);

        HttpResult seven = list("page=4&page_size=7");
        assertThat(seven.ids()).isEqualTo(IDS.subList(21, 25));
        assertMeta(seven, 4, 7, 4, 25);

        HttpResult exact = list("page=1&page_size=25");
        assertMeta(exact, 1, 25, 1, 25);
        assertThat(exact.ids()).isEqualTo(IDS);

        HttpResult padded = list("page=%202%20&page_size=10");
        assertThat(padded.status()).as("surrounding blanks are tolerated").isEqualTo(200);
        assertThat(padded.ids()).isEqualTo(IDS.subList(10, 20));
    }

    @Test
    void badPageIsInvalidParameter() {
        for (String page : new String[] {
            "0", "-1", "abc", "1.5", "", "1e3", "0x10", "99999999999999999999", "-99999999999999999999"
        }) {
            assertInvalidParameter("page=" + page, "page");
        }
        assertInvalidParameter("page=2&page=3", "page");
        assertInvalidParameter("page=1&page=1", "page");
    }

    @Test
    void badPageSizeIsInvalidParameter() {
        for (String size : new String[] {"0", "101", "1000", "-5", "abc", "", "10.0", "99999999999999999999"}) {
            assertInvalidParameter("page_size=" + size, "page_size");
        }
        assertInvalidParameter("page_size=10&page_size=20", "page_size");
    }

    @Test
    void responseElementsAreFullUsers() {
        JsonObject first = list("page_size=1").dataArray().getJsonObject(0);
        assertThat(first.keySet())
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
        assertThat(first.getString("email")).isEqualTo("page01@paging.test");
        assertThat(api.getUser(first.getString("id")).data()).isEqualTo(first);
    }

    private HttpResult list(String query) {
        HttpResult res = api.get(USERS + "?" + query);
        assertThat(res.status()).as(query + " -> " + res).isEqualTo(200);
        return res;
    }

    private void assertInvalidParameter(String query, String param) {
        HttpResult res = assertError(api.get(USERS + "?" + query), 400, "INVALID_PARAMETER");
        assertThat(res.detailFields()).as(query).containsExactly(param);
    }
}

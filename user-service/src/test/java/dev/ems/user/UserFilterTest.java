package dev.ems.user;

import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.JsonBodies.body;
import static dev.ems.user.UserTestSupport.USERS;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.Envelopes;
import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonValue;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The list filters status, role and q (prefix, case-insensitive, wildcards literal) over a database of its own. */
class UserFilterTest extends UserServiceTestBase {
    /** email -> id, in creation order. */
    private static final Map<String, String> IDS = new LinkedHashMap<>();

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @BeforeAll
    static void seed(WebServer server) {
        UserTestSupport.Api api = seedingApi(server);
        create(api, "alice.smith@filter.test", "Alice", "Smith", "admin", "active");
        create(api, "bob.jones@filter.test", "Bob", "Jones", "user", "inactive");
        create(api, "carol.smithers@filter.test", "Carol", "Smithers", "user", "suspended");
        create(api, "dave@filter.test", "Dave", "Alison", "admin", "suspended");
        create(api, "a_b@filter.test", "Under", "Score", "user", "active");
        create(api, "axb@filter.test", "Ex", "Ample", "user", "active");
        create(api, "pct%off@filter.test", "Per", "Cent", "user", "active");
        create(api, "pctxoff@filter.test", "Pee", "Cee", "user", "active");
        create(api, "slash@filter.test", "Back\\Slash", "Name", "user", "inactive");
        create(api, "gone@filter.test", "Gone", "Smith", "admin", "active");
        // a deleted user never shows, whatever the filter
        assertThat(api.delete(IDS.remove("gone@filter.test")).status()).isEqualTo(204);
    }

    @Test
    void noFilterListsEveryLiveUser() {
        assertFound("page_size=100", IDS.keySet().toArray(String[]::new));
    }

    @Test
    void statusFilter() {
        assertFound(
                "status=active",
                "alice.smith@filter.test",
                "a_b@filter.test",
                "axb@filter.test",
                "pct%off@filter.test",
                "pctxoff@filter.test");
        assertFound("status=inactive", "bob.jones@filter.test", "slash@filter.test");
        assertFound("status=suspended", "carol.smithers@filter.test", "dave@filter.test");
    }

    @Test
    void roleFilter() {
        assertFound("role=admin", "alice.smith@filter.test", "dave@filter.test");
        assertThat(list("role=user").ids()).hasSize(7);
    }

    @Test
    void filtersCombine() {
        assertFound("status=suspended&role=admin", "dave@filter.test");
        assertFound("status=inactive&role=admin");
        assertFound("status=active&role=admin&q=ali", "alice.smith@filter.test");
    }

    @Test
    void qIsACaseInsensitivePrefixOfEmailOrNames() {
        assertFound("q=smith", "alice.smith@filter.test", "carol.smithers@filter.test"); // last names
        assertFound("q=SMITH", "alice.smith@filter.test", "carol.smithers@filter.test");
        assertFound("q=sMiThErS", "carol.smithers@filter.test");
        assertFound("q=ali", "alice.smith@filter.test", "dave@filter.test"); // email + last name Alison
        assertFound("q=BOB.J", "bob.jones@filter.test"); // email prefix
        assertFound("q=bob.jones@filter.test", "bob.jones@filter.test"); // the whole email
        assertFound("q=jones", "bob.jones@filter.test");
        assertFound("q=mith"); // prefix, not substring
        assertFound("q=filter.test");
        assertFound("q=nobody");
    }

    @Test
    void likeWildcardsInQAreLiteral() {
        assertFound("q=a_", "a_b@filter.test"); // not axb
        assertFound("q=a_b", "a_b@filter.test");
        assertFound("q=_");
        assertFound("q=%25");
        assertFound("q=%25off");
        assertFound("q=pct%25", "pct%off@filter.test"); // not pctxoff
        assertFound("q=pct", "pct%off@filter.test", "pctxoff@filter.test");
        assertFound("q=back%5Cs", "slash@filter.test"); // a backslash is literal too
        assertFound("q=%5C");
    }

    @Test
    void metaCountsTheFilteredUsers() {
        HttpResult res = list("status=active&page_size=2&page=3");
        assertThat(res.ids()).hasSize(1);
        Envelopes.assertMeta(res, 3, 2, 3, 5);
        Envelopes.assertMeta(list("q=smith&page_size=1"), 1, 1, 2, 2);
        Envelopes.assertMeta(list("q=nobody"), 1, 10, 0, 0);
    }

    @Test
    void badFilterValuesAreInvalidParameter() {
        assertInvalid("status=deleted", "status");
        assertInvalid("status=Active", "status");
        assertInvalid("status=", "status");
        assertInvalid("status=active&status=inactive", "status");
        assertInvalid("role=root", "role");
        assertInvalid("role=ADMIN", "role");
        assertInvalid("role=user&role=admin", "role");
        assertInvalid("q=" + "x".repeat(101), "q");
        assertInvalid("q=a&q=b", "q");
    }

    private static void create(
            UserTestSupport.Api api, String email, String first, String last, String role, String status) {
        IDS.put(
                email,
                api.create(body("email", email, "first_name", first, "last_name", last, "role", role, "status", status))
                        .getString("id"));
    }

    private HttpResult list(String query) {
        HttpResult res = api.get(USERS + "?" + query);
        assertThat(res.status()).as(query + " -> " + res).isEqualTo(200);
        return res;
    }

    /** The filter finds exactly these users, in creation order, and total_count says so. */
    private void assertFound(String query, String... emails) {
        HttpResult res = list(query);
        List<String> found = res.dataArray().stream()
                .map(JsonValue::asJsonObject)
                .map(u -> u.getString("email"))
                .toList();
        assertThat(found).as(query).containsExactly(emails);
        assertThat(res.meta().getInt("total_count")).as(query).isEqualTo(emails.length);
    }

    private void assertInvalid(String query, String param) {
        HttpResult res = assertError(api.get(USERS + "?" + query), 400, "INVALID_PARAMETER");
        assertThat(res.detailFields()).as(query).containsExactly(param);
    }
}

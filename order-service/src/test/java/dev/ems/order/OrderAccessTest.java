package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jwt.SignedJWT;
import dev.ems.testing.HttpResult;
import dev.ems.testing.TestIssuer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import java.text.ParseException;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The rules of orders per role (OrderAccess): an admin does everything; a {@code user} creates, reads, lists and
 * cancels (while pending) the orders of its own user record, whose owner user-service tells (here its stand-in), and
 * another's order or user does not exist for it; a {@code service} or an {@code auditor} does nothing.
 */
class OrderAccessTest extends OrderServiceTestBase {
    private static final String ALICE = "alice-subject";
    private static final String BOB = "bob-subject";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    private UUID aliceUser;
    private UUID bobUser;

    @BeforeEach
    void twoOwnedUsers() {
        aliceUser = UUID.randomUUID();
        bobUser = UUID.randomUUID();
        users.owner(aliceUser, ALICE);
        users.owner(bobUser, BOB);
    }

    // ---------------------------------------------------------------- user: its own orders

    @Test
    void aUserOrdersForItsOwnUserRecord() {
        HttpResult res = api.post(order(aliceUser), as(ALICE, "user"));

        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        assertThat(res.data().getString("user_id")).isEqualTo(aliceUser.toString());
    }

    @Test
    void aUserCannotOrderForAnotherUsersRecord() {
        UUID unowned = UUID.randomUUID(); // a user record without subject: nobody's

        assertError(api.post(order(bobUser), as(ALICE, "user")), 422, "USER_NOT_FOUND");
        assertError(api.post(order(unowned), as(ALICE, "user")), 422, "USER_NOT_FOUND");
        assertThat(api.get(ORDERS + "?user_id=" + bobUser).dataArray()).isEmpty();
    }

    @Test
    void aUserReadsItsOwnOrderAndAnothersIsNotFound() {
        String own = api.create(order(aliceUser), as(ALICE, "user")).getString("id");
        String bobs = api.create(order(bobUser)).getString("id"); // by the admin

        assertThat(api.getOrder(own, as(ALICE, "user")).status()).isEqualTo(200);
        HttpResult other = api.getOrder(bobs, as(ALICE, "user"));
        assertError(other, 404, "NOT_FOUND");
        assertThat(other.error())
                .as("the same answer as for an order that does not exist")
                .isEqualTo(api.getOrder(UUID.randomUUID().toString(), as(ALICE, "user"))
                        .error());
    }

    @Test
    void aUserListsTheOrdersOfItsOwnUserRecordOnly() {
        String own = api.create(order(aliceUser), as(ALICE, "user")).getString("id");
        api.create(order(bobUser));

        assertThat(api.get(ORDERS + "?user_id=" + aliceUser, as(ALICE, "user")).ids())
                .containsExactly(own);
        HttpResult others = api.get(ORDERS + "?user_id=" + bobUser, as(ALICE, "user"));
        assertThat(others.status()).isEqualTo(200);
        assertThat(others.dataArray()).as("another's user lists nothing").isEmpty();
        assertThat(others.meta().getJsonNumber("total_count").longValueExact()).isZero();
        assertError(api.get(ORDERS, as(ALICE, "user")), 403, "FORBIDDEN");
    }

    @Test
    void aUserCancelsItsOwnPendingOrderAndNothingElse() {
        String[] asAlice = as(ALICE, "user");
        String pending = api.create(order(aliceUser), asAlice).getString("id");
        String confirmed = api.create(order(aliceUser), asAlice).getString("id");
        api.move(confirmed, "confirmed");
        String bobs = api.create(order(bobUser)).getString("id");

        assertError(api.status(pending, "confirmed", asAlice), 403, "FORBIDDEN");
        assertError(api.status(confirmed, "cancelled", asAlice), 403, "FORBIDDEN");
        assertError(api.status(bobs, "cancelled", asAlice), 404, "NOT_FOUND");
        HttpResult cancelled = api.status(pending, "cancelled", asAlice);

        assertThat(cancelled.status()).as(cancelled.toString()).isEqualTo(200);
        assertThat(cancelled.data().getString("status")).isEqualTo("cancelled");
        assertThat(api.getOrder(confirmed).data().getString("status")).isEqualTo("confirmed");
        assertThat(api.getOrder(bobs).data().getString("status")).isEqualTo("pending");
    }

    @Test
    void aUserMayNotReplaceOrDeleteEvenItsOwnOrder() {
        String[] asAlice = as(ALICE, "user");
        String own = api.create(order(aliceUser), asAlice).getString("id");

        assertError(api.put(own, order(aliceUser, List.of(item("SKU-9", 1, "0.01"))), asAlice), 403, "FORBIDDEN");
        assertError(api.delete(own, asAlice), 403, "FORBIDDEN");
        assertThat(api.getOrder(own)
                        .data()
                        .getJsonArray("items")
                        .getJsonObject(0)
                        .getString("sku"))
                .as("unchanged")
                .isEqualTo("SKU-1");
    }

    // ---------------------------------------------------------------- services, auditors, no role

    @Test
    void servicesAuditorsAndCallersWithoutARoleHaveNoAccessToOrders() {
        String existing = api.create(order(aliceUser)).getString("id");
        for (String[] caller : List.of(as("order-service", "service"), as("auditor-1", "auditor"), as(ALICE))) {
            assertError(api.post(order(aliceUser), caller), 403, "FORBIDDEN");
            assertError(api.getOrder(existing, caller), 403, "FORBIDDEN");
            assertError(api.get(ORDERS + "?user_id=" + aliceUser, caller), 403, "FORBIDDEN");
            assertError(api.status(existing, "cancelled", caller), 403, "FORBIDDEN");
            assertError(api.delete(existing, caller), 403, "FORBIDDEN");
        }
        assertThat(api.getOrder(existing).data().getString("status")).isEqualTo("pending");
    }

    // ---------------------------------------------------------------- idempotency keys and user lookups

    @Test
    void idempotencyKeysBelongToTheCaller() {
        String key = "shared-key-" + UUID.randomUUID();
        String alices = api.create(order(aliceUser), with(as(ALICE, "user"), "Idempotency-Key", key))
                .getString("id");

        // the same key from another caller with another body is that caller's own key: a new order, not a mismatch
        HttpResult bobs = api.post(
                order(bobUser, List.of(item("SKU-2", 1, "5.00"))), with(as(BOB, "user"), "Idempotency-Key", key));
        assertThat(bobs.status()).as(bobs.toString()).isEqualTo(201);
        assertThat(bobs.data().getString("id")).isNotEqualTo(alices);

        // and alice's retry still replays hers
        HttpResult retry = api.post(order(aliceUser), with(as(ALICE, "user"), "Idempotency-Key", key));
        assertThat(retry.status()).isEqualTo(201);
        assertThat(retry.data().getString("id")).isEqualTo(alices);
    }

    @Test
    void userServiceIsAskedWithOrderServicesOwnTokenNotTheCallers() throws ParseException {
        users.resetCounts();
        String callers = TestIssuer.token(ALICE, "user");

        api.create(order(aliceUser), "Authorization", TestIssuer.bearer(callers));

        List<String> sent = users.authorizations();
        assertThat(sent)
                .isNotEmpty()
                .allSatisfy(a -> assertThat(a).startsWith("Bearer ").doesNotContain(callers));
        SignedJWT token = SignedJWT.parse(sent.get(0).substring("Bearer ".length()));
        assertThat(token.getJWTClaimsSet().getStringClaim("azp")).isEqualTo("order-service");
        assertThat(token.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("service");
    }

    /** The Authorization header of a token of the tests' issuer for {@code subject} with {@code roles}. */
    private static String[] as(String subject, String... roles) {
        return new String[] {"Authorization", TestIssuer.bearer(TestIssuer.token(subject, roles))};
    }

    private static String[] with(String[] headers, String name, String value) {
        String[] all = java.util.Arrays.copyOf(headers, headers.length + 2);
        all[headers.length] = name;
        all[headers.length + 1] = value;
        return all;
    }
}

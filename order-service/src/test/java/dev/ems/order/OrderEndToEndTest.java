package dev.ems.order;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.core.testing.HttpResult;

import io.helidon.config.Config;
import io.helidon.http.Method;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import io.helidon.webserver.testing.junit5.SetUpServer;

import jakarta.json.JsonObject;

import org.junit.jupiter.api.Test;

import static dev.ems.core.testing.Envelopes.assertError;
import static dev.ems.core.testing.JsonBodies.body;
import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static org.assertj.core.api.Assertions.assertThat;

/** order-service against the real user-service (in-process, its own database): the whole user check, end to end. */
@ServerTest
class OrderEndToEndTest {
    private static final String USERS = "/api/v1/users";
    private static ServiceRuntime userRuntime;
    private static WebServer userServer;
    private static OrderTestSupport.Running service;
    private final OrderTestSupport.Api orders;
    private final OrderTestSupport.Api users;

    OrderEndToEndTest(Http1Client client) {
        this.orders = new OrderTestSupport.Api(client);
        this.users = new OrderTestSupport.Api(Http1Client.builder().baseUri("http://localhost:" + userServer.port()).build());
    }

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        Config c = OrderTestSupport.userServiceConfig(Map.of());
        userRuntime = ServiceRuntime.create("user-service", c);
        userServer = userRuntime.start(r -> dev.ems.user.Main.routing(r, userRuntime.db()));
        service = OrderTestSupport.setUp(server, "http://localhost:" + userServer.port(), Map.of());
    }

    @AfterStop
    public static void stop() {
        service.close();
        userRuntime.shutdown(userServer);
    }

    @Test
    void ordersFollowTheUsersLifeInUserService() {
        // a user in user-service, and orders for it
        JsonObject alice = createUser("alice");
        UUID aliceId = UUID.fromString(alice.getString("id"));
        assertThat(alice.getString("status")).isEqualTo("active");
        String first = orders.create(order(aliceId, List.of(item("E2E-1", 2, "19.99")))).getString("id");
        String second = orders.create(order(aliceId, List.of(item("E2E-2", 1, "5.00")), "\"currency\":\"eur\""))
                .getString("id");
        assertThat(orders.get("/api/v1/users/" + aliceId + "/orders").ids()).containsExactly(first, second);
        assertThat(orders.get(ORDERS + "?user_id=" + aliceId).ids()).containsExactly(first, second);
        assertThat(orders.getOrder(first).data().getString("user_id")).isEqualTo(aliceId.toString());

        // a user id user-service never heard of
        assertError(orders.post(order(UUID.randomUUID())), 422, "USER_NOT_FOUND");

        // the user is deleted in user-service: no new orders for it; its orders stay readable
        HttpResult deleted = users.call(Method.DELETE, USERS + "/" + aliceId, null);
        assertThat(deleted.status()).as(deleted.toString()).isEqualTo(204);
        assertThat(users.get(USERS + "/" + aliceId).status()).isEqualTo(404);
        HttpResult gone = assertError(orders.post(order(aliceId)), 422, "USER_NOT_FOUND");
        assertThat(gone.detailFields()).containsExactly("user_id");
        assertThat(orders.get("/api/v1/users/" + aliceId + "/orders").ids()).containsExactly(first, second);
        assertThat(orders.move(first, "confirmed").getString("status")).isEqualTo("confirmed");
        // moving an order of someone else to the deleted user is refused too
        JsonObject bob = createUser("bob");
        UUID bobId = UUID.fromString(bob.getString("id"));
        String bobs = orders.create(order(bobId)).getString("id");
        assertError(orders.put(bobs, order(aliceId)), 422, "USER_NOT_FOUND");

        // bob becomes inactive, then suspended: no new orders; editing his order without changing the user still works
        patchStatus(bobId, "inactive");
        HttpResult inactive = assertError(orders.post(order(bobId)), 422, "USER_NOT_ACTIVE");
        assertThat(inactive.error().getString("message")).contains("inactive");
        assertThat(orders.put(bobs, order(bobId, "\"notes\":\"kept\"")).status()).isEqualTo(200);
        assertError(orders.put(second, order(bobId, List.of(item("E2E-2", 1, "5.00")), "\"currency\":\"eur\"")), 422,
                    "USER_NOT_ACTIVE");
        patchStatus(bobId, "suspended");
        assertError(orders.post(order(bobId)), 422, "USER_NOT_ACTIVE");

        // active again: orders are accepted again
        patchStatus(bobId, "active");
        String again = orders.create(order(bobId)).getString("id");
        assertThat(orders.get(ORDERS + "?user_id=" + bobId).ids()).containsExactly(bobs, again);
        assertThat(orders.get(ORDERS + "?user_id=" + aliceId).ids()).containsExactly(first, second);
    }

    private JsonObject createUser(String name) {
        HttpResult res = users.call(Method.POST, USERS,
                                                   body("email", name + "-" + UUID.randomUUID() + "@example.com",
                                                        "first_name", name, "last_name", "EndToEnd"),
                                                   "Content-Type", "application/json");
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        return res.data();
    }

    private JsonObject patchStatus(UUID user, String status) {
        HttpResult res = users.call(Method.PATCH, USERS + "/" + user, body("status", status),
                                                   "Content-Type", "application/json");
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        assertThat(res.data().getString("status")).isEqualTo(status);
        return res.data();
    }
}

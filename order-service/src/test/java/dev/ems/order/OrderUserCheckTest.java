package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.ApiCalls;
import dev.ems.testing.HttpResult;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The user check against user-service (the stand-in): unknown and inactive users, X-Request-ID propagation, and
 * which endpoints call user-service at all (only create and a PUT that changes user_id).
 */
class OrderUserCheckTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        // a breaker that never opens within this class: ERROR_500 answers must not turn into "breaker open"
        start(server, Map.of("circuit.breaker.volume", "1000"));
    }

    @BeforeEach
    void reset() {
        users.reset();
    }

    @Test
    void unknownUserIs422UserNotFoundAndNothingIsCreated() {
        UUID user = UUID.randomUUID();
        users.mode(UserServiceStandIn.Mode.NOT_FOUND);
        HttpResult res = assertError(api.post(order(user)), 422, "USER_NOT_FOUND");
        assertThat(res.detailFields()).containsExactly("user_id");
        assertThat(res.error().getString("message")).contains(user.toString());
        assertThat(users.calls()).isEqualTo(1);
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).isEmpty();
    }

    @Test
    void inactiveAndSuspendedUsersAre422UserNotActive() {
        for (UserServiceStandIn.Mode mode :
                List.of(UserServiceStandIn.Mode.INACTIVE, UserServiceStandIn.Mode.SUSPENDED)) {
            UUID user = UUID.randomUUID();
            users.mode(mode);
            HttpResult res = assertError(api.post(order(user)), 422, "USER_NOT_ACTIVE");
            assertThat(res.detailFields()).containsExactly("user_id");
            assertThat(res.error().getString("message")).contains(mode.name().toLowerCase(Locale.ROOT));
            assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).isEmpty();
        }
        assertThat(users.calls()).isEqualTo(2);
    }

    @Test
    void activeUserIsCheckedOnceByItsId() {
        UUID user = UUID.randomUUID();
        api.create(order(user));
        assertThat(users.calls()).isEqualTo(1);
    }

    @Test
    void theRequestIdArrivesAtUserService() {
        String requestId = "order-test-" + UUID.randomUUID();
        HttpResult res = api.post(order(UUID.randomUUID()), "X-Request-ID", requestId);
        assertThat(res.status()).isEqualTo(201);
        assertThat(res.header("X-Request-ID")).isEqualTo(requestId);
        assertThat(users.requestIds()).containsExactly(requestId);

        // also on an error answer, and on a PUT that changes the user
        users.resetCounts();
        users.mode(UserServiceStandIn.Mode.NOT_FOUND);
        assertError(api.post(order(UUID.randomUUID()), "X-Request-ID", "rid-404"), 422, "USER_NOT_FOUND");
        assertThat(users.requestIds()).containsExactly("rid-404");
        users.mode(UserServiceStandIn.Mode.ACTIVE);
        String id = res.data().getString("id");
        users.resetCounts();
        assertThat(api.put(id, order(UUID.randomUUID()), "X-Request-ID", "rid-put")
                        .status())
                .isEqualTo(200);
        assertThat(users.requestIds()).containsExactly("rid-put");

        // without one, the id order-service generated is passed on and echoed
        users.resetCounts();
        HttpResult generated = api.post(order(UUID.randomUUID()));
        assertThat(users.requestIds()).containsExactly(generated.header("X-Request-ID"));
    }

    @Test
    void putKeepingTheUserDoesNotCallUserService() {
        UUID user = UUID.randomUUID();
        String id = api.create(order(user)).getString("id");
        users.resetCounts();
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        HttpResult put = api.put(id, order(user, List.of(item("NEW", 1, "1.00")), "notes", "same user"));
        assertThat(put.status()).as(put.toString()).isEqualTo(200);
        assertThat(put.data().getString("notes")).isEqualTo("same user");
        // the user id in another spelling is the same user
        assertThat(api.put(
                                id,
                                order(user, "notes", "upper")
                                        .replace(
                                                user.toString(), user.toString().toUpperCase(Locale.ROOT)))
                        .status())
                .isEqualTo(200);
        assertThat(users.calls()).isZero();
    }

    @Test
    void putChangingTheUserChecksTheNewUser() {
        UUID user = UUID.randomUUID();
        JsonObject created = api.create(order(user));
        String id = created.getString("id");
        UUID other = UUID.randomUUID();
        users.resetCounts();
        users.mode(UserServiceStandIn.Mode.NOT_FOUND);
        assertError(api.put(id, order(other)), 422, "USER_NOT_FOUND");
        users.mode(UserServiceStandIn.Mode.SUSPENDED);
        assertError(api.put(id, order(other)), 422, "USER_NOT_ACTIVE");
        users.mode(UserServiceStandIn.Mode.ERROR_500);
        HttpResult down = assertError(api.put(id, order(other)), 503, "USER_SERVICE_UNAVAILABLE");
        assertThat(down.header("Retry-After")).isNotBlank();
        assertThat(users.calls()).isEqualTo(3);
        assertThat(api.getOrder(id).data())
                .as("a refused change leaves the order as it was")
                .isEqualTo(created);
        users.mode(UserServiceStandIn.Mode.ACTIVE);
        assertThat(api.put(id, order(other)).data().getString("user_id")).isEqualTo(other.toString());
    }

    @Test
    void readsStatusChangesAndDeletesWorkWhileUserServiceFails() {
        UUID user = UUID.randomUUID();
        String a = api.create(order(user)).getString("id");
        String b = api.create(order(user)).getString("id");
        users.resetCounts();
        users.mode(UserServiceStandIn.Mode.ERROR_500);

        assertThat(api.getOrder(a).status()).isEqualTo(200);
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(a, b);
        assertThat(api.get("/api/v1/users/" + user + "/orders").ids()).containsExactly(a, b);
        assertThat(api.move(a, "confirmed").getString("status")).isEqualTo("confirmed");
        assertThat(api.move(a, "shipped").getString("status")).isEqualTo("shipped");
        assertThat(api.put(a, order(user, "notes", "while down")).status()).isEqualTo(200);
        assertThat(api.delete(b).status()).isEqualTo(204);
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(a);
        assertThat(users.calls()).as("none of these ask user-service").isZero();

        // creating does need it: 503, nothing created
        HttpResult create = assertError(api.post(order(user)), 503, "USER_SERVICE_UNAVAILABLE");
        assertThat(create.header("Retry-After")).isNotBlank();
        assertThat(users.calls()).isEqualTo(1);
        assertThat(api.get(ORDERS + "?user_id=" + user).ids()).containsExactly(a);
    }

    @Test
    void readsWorkWhileUserServiceIsUnreachable() {
        // a separate stand-in that is stopped: connections to it are refused
        UserServiceStandIn gone = UserServiceStandIn.start();
        gone.stop();
        io.helidon.webserver.WebServerConfig.Builder builder =
                io.helidon.webserver.WebServer.builder().port(0).host("localhost");
        OrderTestSupport.Running other = OrderTestSupport.setUp(builder, gone.url(), Map.of());
        io.helidon.webserver.WebServer server = builder.build().start();
        Http1Client otherClient = ApiCalls.client(server.port(), bearer);
        try {
            OrderTestSupport.Api api2 = new OrderTestSupport.Api(otherClient);
            assertError(api2.post(order(UUID.randomUUID())), 503, "USER_SERVICE_UNAVAILABLE");
            assertThat(api2.get(ORDERS).status()).isEqualTo(200);
            assertError(api2.getOrder(UUID.randomUUID().toString()), 404, "NOT_FOUND");
        } finally {
            otherClient.closeResource();
            server.stop();
            other.close();
            gone.close();
        }
    }
}

package dev.ems.order;

import static dev.ems.testing.JsonBodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.HttpResult;
import dev.ems.testing.JsonBodies;
import dev.ems.testing.ServiceApi;
import dev.ems.testing.ServiceConfigs;
import dev.ems.testing.TestPostgres;
import io.helidon.config.Config;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServerConfig;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** An order-service on a fresh database, wired exactly as Main wires it, pointed at a given user-service; plus helpers. */
final class OrderTestSupport {
    static final String ORDERS = "/api/v1/orders";
    /** Amounts on the wire: a JSON number with exactly 2 decimals. */
    private static final Pattern AMOUNT = Pattern.compile("-?\\d+\\.\\d{2}");

    private OrderTestSupport() {}

    /**
     * Sets up {@code server} (from {@code @SetUpServer}) as order-service. Rate limiting is lifted unless
     * {@code overrides} set it; breaker and timeouts can be set through {@code overrides}
     * (e.g. {@code circuit.breaker.timeout}, {@code order.service.user.service.timeout}).
     */
    static Running setUp(WebServerConfig.Builder server, String userServiceUrl, Map<String, String> overrides) {
        return setUp(server, userServiceUrl, TestPostgres.createDatabase(), overrides);
    }

    /** As {@link #setUp(WebServerConfig.Builder, String, Map)}, on {@code database} (a replica shares it). */
    static Running setUp(
            WebServerConfig.Builder server, String userServiceUrl, String database, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("order.service.user.service.url", userServiceUrl);
        values.put("order.service.rate.limit", "100000");
        values.put("order.service.rate.burst", "100000");
        values.put("order.service.log.level", "warn");
        values.putAll(overrides);
        Config config = ServiceConfigs.of(Main.SERVICE, TestPostgres.shared().getPort(), database, values);
        ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, config);
        UserClient users = Main.userClient(runtime);
        runtime.addReadinessCheck(UserClient.DEPENDENCY, users::health);
        OrderService orders = Main.orderService(runtime, users, Main.auditTrail(runtime.config()));
        runtime.setup(server, routing -> Main.routing(routing, orders));
        return new Running(runtime, users, orders);
    }

    /** What a test may need to reach behind the API, and must close in {@code @AfterStop}. */
    record Running(ServiceRuntime runtime, UserClient users, OrderService orders) implements AutoCloseable {
        @Override
        public void close() {
            users.close();
            runtime.close();
        }
    }

    // ---------------------------------------------------------------- request bodies

    /**
     * One item as a JSON object; {@code quantity} and {@code price} are written verbatim, so that numbers the builder
     * would rewrite ("12.500", "1e2") and wrong types ("\"12\"", "null", "[1]") are possible.
     */
    static String item(String sku, String name, Object quantity, String price) {
        return """
               {"sku":%s,"name":%s,"quantity":%s,"unit_price":%s}""".formatted(str(sku), str(name), quantity, price);
    }

    static String item(String sku, int quantity, String price) {
        return item(sku, "Item " + sku, quantity, price);
    }

    /**
     * An order body: {@code items} as written (see {@link #item}), then {@code pairs}, name/value pairs as for
     * {@link JsonBodies#body} (e.g. {@code "currency", "eur", "notes", null}).
     */
    static String order(UUID userId, List<String> items, Object... pairs) {
        String more = pairs.length == 0 ? "" : "," + JsonBodies.members(pairs);
        return """
               {"user_id":"%s","items":[%s]%s}""".formatted(userId, String.join(",", items), more);
    }

    /** An order of one item (2 x SKU-1 at 10.00), then {@code pairs} as for {@link #order(UUID, List, Object...)}. */
    static String order(UUID userId, Object... pairs) {
        return order(userId, List.of(item("SKU-1", 2, "10.00")), pairs);
    }

    static String str(String s) {
        return s == null ? "null" : jakarta.json.Json.createValue(s).toString();
    }

    /** The exact decimal of a JSON number. */
    static BigDecimal amount(JsonObject o, String field) {
        return ((JsonNumber) o.get(field)).bigDecimalValue();
    }

    /** Asserts every amount of an order on the wire (raw JSON text) has exactly 2 decimals. */
    static void assertAmountsHaveTwoDecimals(String rawBody) {
        Matcher m = Pattern.compile("\"(total_amount|unit_price|line_total)\":([^,}\\]]+)")
                .matcher(rawBody);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(m.group(2)).as(m.group(1) + " in " + rawBody).matches(AMOUNT);
        }
        assertThat(found).as("amounts in " + rawBody).isPositive();
    }

    // ---------------------------------------------------------------- requests

    /** Request helpers on /api/v1/orders over the injected Http1Client. */
    static final class Api extends ServiceApi {
        Api(Http1Client client) {
            super(client, ORDERS);
        }

        HttpResult getOrder(String id, String... headers) {
            return getMember(id, headers);
        }

        HttpResult status(String id, String status, String... headers) {
            return http.patch(ORDERS + "/" + id + "/status", body("status", status), headers);
        }

        /** Creates an order, asserting 201, and returns its data. */
        JsonObject create(String json, String... headers) {
            HttpResult res = post(json, headers);
            assertThat(res.status()).as(res.toString()).isEqualTo(201);
            return res.data();
        }

        /** Moves an order to {@code status}, asserting 200, and returns its data. */
        JsonObject move(String id, String status) {
            HttpResult res = status(id, status);
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            return res.data();
        }

        /** Walks an order along the shortest allowed path from pending to {@code target}. */
        JsonObject moveTo(String id, String target) {
            JsonObject last = null;
            List<String> path = switch (target) {
                case "pending" -> List.of();
                case "confirmed" -> List.of("confirmed");
                case "shipped" -> List.of("confirmed", "shipped");
                case "delivered" -> List.of("confirmed", "shipped", "delivered");
                case "cancelled" -> List.of("cancelled");
                default -> throw new IllegalArgumentException(target);
            };
            for (String step : path) {
                last = move(id, step);
            }
            return last == null ? getOrder(id).data() : last;
        }
    }
}

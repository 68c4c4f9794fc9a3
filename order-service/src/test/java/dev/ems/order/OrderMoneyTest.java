package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.amount;
import static dev.ems.order.OrderTestSupport.assertAmountsHaveTwoDecimals;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertError;
import static dev.ems.testing.Envelopes.assertNoLeak;
import static dev.ems.testing.Envelopes.assertValidation;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Money: exact decimal totals, accepted and refused number forms, 2 decimals on the wire, no client totals. */
class OrderMoneyTest extends OrderServiceTestBase {
    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void hundredItemsTotalExactly() {
        String[] prices = {
            "0.01", "0.10", "19.99", "999999.99", "0.00", "1.005e1" /* 10.05 */, "33.33", "0.3", "7", "123456.78"
        };
        int[] quantities = {10000, 9999, 3, 10000, 1, 7, 3, 10000, 1, 9998};
        List<String> items = new ArrayList<>();
        BigDecimal expected = BigDecimal.ZERO;
        List<BigDecimal> lines = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            String price = prices[i % prices.length];
            int quantity = quantities[(i / prices.length + i) % quantities.length];
            items.add(item("SKU-" + i, quantity, price));
            BigDecimal line =
                    new BigDecimal(price).multiply(BigDecimal.valueOf(quantity)).setScale(2);
            lines.add(line);
            expected = expected.add(line);
        }
        HttpResult res = api.post(order(UUID.randomUUID(), items));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        JsonObject o = res.data();
        assertThat(amount(o, "total_amount")).isEqualTo(expected.setScale(2));
        JsonArray got = o.getJsonArray("items");
        assertThat(got).hasSize(100);
        for (int i = 0; i < 100; i++) {
            JsonObject line = got.getJsonObject(i);
            assertThat(line.getString("sku")).isEqualTo("SKU-" + i);
            assertThat(amount(line, "line_total")).as("line " + i).isEqualTo(lines.get(i));
            assertThat(amount(line, "unit_price")).isEqualTo(new BigDecimal(prices[i % prices.length]).setScale(2));
        }
        assertAmountsHaveTwoDecimals(res.body());
        // the stored order reads back identically
        HttpResult get = api.getOrder(o.getString("id"));
        assertThat(get.data()).isEqualTo(o);
        assertAmountsHaveTwoDecimals(get.body());
    }

    @Test
    void theLargestPossibleOrderFits() {
        List<String> items = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            items.add(item("MAX-" + i, 10000, "999999.99"));
        }
        HttpResult res = api.post(order(UUID.randomUUID(), items));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        assertThat(amount(res.data(), "total_amount")).isEqualTo(new BigDecimal("999999990000.00"));
        assertThat(res.body()).contains("\"total_amount\":999999990000.00", "\"line_total\":9999999900.00");
        assertAmountsHaveTwoDecimals(api.getOrder(res.data().getString("id")).body());
    }

    @Test
    void smallAmountsKeepTwoDecimalsOnTheWire() {
        HttpResult res = api.post(
                order(UUID.randomUUID(), List.of(item("A", 1, "0.1"), item("B", 1, "0"), item("C", 1, "0.01"))));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        assertThat(res.body())
                .contains("\"unit_price\":0.10", "\"unit_price\":0.00", "\"unit_price\":0.01", "\"total_amount\":0.11");
        assertAmountsHaveTwoDecimals(res.body());
        HttpResult zero = api.post(order(UUID.randomUUID(), List.of(item("Z", 5, "0"))));
        assertThat(zero.status()).isEqualTo(201);
        assertThat(zero.body()).contains("\"total_amount\":0.00", "\"line_total\":0.00");
    }

    @Test
    void exponentAndTrailingZerosAreAcceptedExactly() {
        JsonObject hundred = api.create(order(UUID.randomUUID(), List.of(item("E", 1, "1e2"))));
        assertThat(amount(hundred.getJsonArray("items").getJsonObject(0), "unit_price"))
                .isEqualTo(new BigDecimal("100.00"));
        assertThat(amount(hundred, "total_amount")).isEqualTo(new BigDecimal("100.00"));

        HttpResult trailing = api.post(order(UUID.randomUUID(), List.of(item("T", 2, "12.500"))));
        assertThat(trailing.status()).as(trailing.toString()).isEqualTo(201);
        assertThat(trailing.body()).contains("\"unit_price\":12.50", "\"line_total\":25.00", "\"total_amount\":25.00");

        for (String same : new String[] {"1E2", "1.0e2", "100.000000", "10000e-2", "-0"}) {
            HttpResult res = api.post(order(UUID.randomUUID(), List.of(item("S", 1, same))));
            assertThat(res.status()).as(same + " -> " + res).isEqualTo(201);
            assertAmountsHaveTwoDecimals(res.body());
        }
    }

    @Test
    void moreThanTwoDecimalsIsRejected() {
        for (String price : new String[] {"12.345", "0.001", "0.0001", "999999.989", "1e-3", "1.0000001"}) {
            HttpResult res = api.post(order(UUID.randomUUID(), List.of(item("D", 1, price))));
            assertValidation(res, "items[0].unit_price");
            assertThat(res.detailMessage("items[0].unit_price")).as(price).contains("2 decimal");
        }
    }

    @Test
    void negativeAndTooLargePricesAreRejected() {
        for (String price :
                new String[] {"-0.01", "-1", "-999999.99", "1000000", "999999.991", "999999.999e0", "1000000.00"}) {
            assertValidation(api.post(order(UUID.randomUUID(), List.of(item("N", 1, price)))), "items[0].unit_price");
        }
        // the maximum itself is fine
        assertThat(api.post(order(UUID.randomUUID(), List.of(item("M", 1, "999999.99"))))
                        .status())
                .isEqualTo(201);
    }

    @Test
    void nonNumericPricesAreWrongType() {
        for (String price : new String[] {"\"12.50\"", "\"abc\"", "true", "[1]", "{\"amount\":1}"}) {
            HttpResult res = api.post(order(UUID.randomUUID(), List.of(item("W", 1, price))));
            assertValidation(res, "items[0].unit_price");
            assertThat(res.detailMessage("items[0].unit_price")).isEqualTo("must be a number");
        }
        assertValidation(api.post(order(UUID.randomUUID(), List.of(item("W", 1, "null")))), "items[0].unit_price");
    }

    @Test
    void hugeNumbersAre400NeverA500() {
        long before = api.get(ORDERS + "?page_size=1")
                .meta()
                .getJsonNumber("total_count")
                .longValueExact();
        for (String price : new String[] {
            "1e400",
            "99999999999999999999999",
            "-1e400",
            "1e-400",
            "9".repeat(400),
            "0." + "0".repeat(400) + "1",
            "1e2147483647"
        }) {
            HttpResult res = api.post(order(UUID.randomUUID(), List.of(item("H", 1, price))));
            assertThat(res.status()).as(price + " -> " + res).isEqualTo(400);
            assertThat(res.json().getBoolean("success")).isFalse();
            assertNoLeak(res.body());
        }
        for (String quantity : new String[] {"1e400", "99999999999999999999999", "-1e400", "9".repeat(400)}) {
            HttpResult res = api.post(order(UUID.randomUUID(), List.of(item("Q", "q", quantity, "1.00"))));
            assertValidation(res, "items[0].quantity");
        }
        assertThat(api.get(ORDERS + "?page_size=1")
                        .meta()
                        .getJsonNumber("total_count")
                        .longValueExact())
                .isEqualTo(before);
    }

    @Test
    void exponentsBeyondAnIntAre400NeverA500() {
        for (String price : new String[] {"1e9999999999", "1e-9999999999", "-1E+99999999999"}) {
            HttpResult res = api.post(order(UUID.randomUUID(), List.of(item("P", 1, price))));
            assertError(res, 400, "INVALID_JSON");
        }
    }

    @Test
    void numbersLongerThanTheParserAcceptsAre400NeverA500() {
        for (String price : new String[] {"1" + "0".repeat(1200), "0." + "0".repeat(1200) + "1"}) {
            HttpResult res = api.post(order(UUID.randomUUID(), List.of(item("P", 1, price))));
            assertThat(res.status())
                    .as(price.substring(0, 20) + "... -> " + res)
                    .isEqualTo(400);
            assertError(res, 400, "INVALID_JSON");
        }
    }

    @Test
    void serverOwnedAmountsFromTheClientAreRejected() {
        UUID user = UUID.randomUUID();
        assertValidation(api.post(order(user, "total_amount", new BigDecimal("1.00"))), "total_amount");
        assertValidation(api.post(order(user, List.of("""
                {"sku":"A","name":"Item A","quantity":1,"unit_price":1.00,"line_total":1.00}"""))), "items[0].line_total");
        HttpResult many = api.post(order(
                user,
                "total_amount",
                0,
                "status",
                "delivered",
                "id",
                UUID.randomUUID().toString(),
                "version",
                5,
                "created_at",
                "2020-01-01T00:00:00Z",
                "updated_at",
                "2020-01-01T00:00:00Z"));
        assertValidation(many, "total_amount", "status", "id", "version", "created_at", "updated_at");
        assertThat(many.detailMessage("total_amount")).isEqualTo("unknown field");
        assertThat(api.get(ORDERS + "?user_id=" + user).dataArray()).isEmpty();
        // on PUT as well
        String id = api.create(order(user)).getString("id");
        assertValidation(api.put(id, order(user, "total_amount", 999)), "total_amount");
        assertThat(amount(api.getOrder(id).data(), "total_amount")).isEqualByComparingTo("20.00");
    }
}

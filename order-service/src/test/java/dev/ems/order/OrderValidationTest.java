package dev.ems.order;

import static dev.ems.order.OrderTestSupport.ORDERS;
import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static dev.ems.testing.Envelopes.assertValidation;
import static dev.ems.testing.JsonBodies.body;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.testing.HttpResult;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every rule of the order body: user_id, items (1..100; sku, name, quantity, unit_price), currency, shipping_address,
 * notes; all errors at once, item errors named by index; nothing is created and user-service is not asked when the
 * body is invalid.
 */
class OrderValidationTest extends OrderServiceTestBase {
    private long ordersBefore;

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @BeforeEach
    void count() {
        ordersBefore = total();
        users.resetCounts();
    }

    /** Tests that create valid orders on purpose set this, the others must leave the database untouched. */
    private long created;

    @AfterEach
    void nothingInvalidWasCreated() {
        assertThat(total()).as("orders created by this test").isEqualTo(ordersBefore + created);
        created = 0;
    }

    @Test
    void userIdIsRequiredAndMustBeAUuid() {
        String valid = item("A", 1, "1.00");
        assertValidation(api.post("""
                {"items":[%s]}""".formatted(valid)), "user_id");
        assertValidation(api.post("""
                {"user_id":null,"items":[%s]}""".formatted(valid)), "user_id");
        for (String bad :
                new String[] {"\"not-a-uuid\"", "\"\"", "123", "true", "{}", "[]", "\"" + UUID.randomUUID() + "0\""}) {
            HttpResult res = api.post("""
                    {"user_id":%s,"items":[%s]}""".formatted(bad, valid));
            assertValidation(res, "user_id");
        }
        assertThat(users.calls())
                .as("user-service is not asked about an invalid body")
                .isZero();
    }

    @Test
    void nonCanonicalUuidIsRejected() {
        for (String bad : new String[] {"1-1-1-1-1", "0-0-0-0-0", "123456789-1-1-1-1"}) {
            assertValidation(api.post("""
                    {"user_id":"%s","items":[%s]}""".formatted(bad, item("A", 1, "1.00"))), "user_id");
        }
    }

    @Test
    void itemsAreRequiredAndBounded() {
        UUID user = UUID.randomUUID();
        assertValidation(api.post(body("user_id", user.toString())), "items");
        assertValidation(api.post(body("user_id", user.toString(), "items", null)), "items");
        assertValidation(api.post(order(user, List.of())), "items");
        assertValidation(api.post(body("user_id", user.toString(), "items", JsonValue.EMPTY_JSON_OBJECT)), "items");
        assertValidation(api.post(body("user_id", user.toString(), "items", "A")), "items");
        List<String> tooMany = new ArrayList<>();
        for (int i = 0; i < 101; i++) {
            tooMany.add(item("S" + i, 1, "1.00"));
        }
        HttpResult res = assertValidation(api.post(order(user, tooMany)), "items");
        assertThat(res.detailMessage("items")).contains("100");
        // exactly 100 is fine
        assertThat(api.post(order(user, tooMany.subList(0, 100))).status()).isEqualTo(201);
        created = 1;
        // null and non-object elements
        assertValidation(api.post(order(user, List.of(item("A", 1, "1.00"), "null"))), "items[1]");
        assertValidation(api.post(order(user, List.of("42", item("A", 1, "1.00"), "\"x\""))), "items[0]", "items[2]");
    }

    @Test
    void skuAndNameRules() {
        UUID user = UUID.randomUUID();
        assertValidation(api.post(order(user, List.of(item(null, "n", 1, "1.00")))), "items[0].sku");
        assertValidation(api.post(order(user, List.of(item("", "n", 1, "1.00")))), "items[0].sku");
        assertValidation(api.post(order(user, List.of(item("   ", "n", 1, "1.00")))), "items[0].sku");
        assertValidation(api.post(order(user, List.of(item("S".repeat(65), "n", 1, "1.00")))), "items[0].sku");
        assertValidation(
                api.post(order(user, List.of(body("name", "n", "quantity", 1, "unit_price", 1)))), "items[0].sku");
        assertValidation(api.post(order(user, List.of(item("s", null, 1, "1.00")))), "items[0].name");
        assertValidation(api.post(order(user, List.of(item("s", "\t", 1, "1.00")))), "items[0].name");
        assertValidation(api.post(order(user, List.of(item("s", "N".repeat(201), 1, "1.00")))), "items[0].name");
        assertValidation(
                api.post(order(
                        user,
                        List.of(body("sku", 1, "name", JsonValue.EMPTY_JSON_ARRAY, "quantity", 1, "unit_price", 1)))),
                "items[0].sku",
                "items[0].name");
        // the limits themselves are fine, surrounding blanks are trimmed
        JsonObject ok = api.create(order(
                user,
                List.of(item("S".repeat(64), "N".repeat(200), 1, "1.00"), item("  pad  ", "  Padded  ", 1, "1.00"))));
        created = 1;
        assertThat(ok.getJsonArray("items").getJsonObject(0).getString("sku")).hasSize(64);
        assertThat(ok.getJsonArray("items").getJsonObject(0).getString("name")).hasSize(200);
        assertThat(ok.getJsonArray("items").getJsonObject(1).getString("sku")).isEqualTo("pad");
        assertThat(ok.getJsonArray("items").getJsonObject(1).getString("name")).isEqualTo("Padded");
    }

    @Test
    void quantityRules() {
        UUID user = UUID.randomUUID();
        for (String bad :
                new String[] {"0", "-1", "10001", "2147483647", "2147483648", "1.5", "\"1\"", "null", "true", "[1]"}) {
            HttpResult res = api.post(order(user, List.of(item("A", "a", bad, "1.00"))));
            assertValidation(res, "items[0].quantity");
        }
        assertValidation(
                api.post(order(user, List.of(body("sku", "A", "name", "a", "unit_price", 1)))), "items[0].quantity");
        JsonObject ok = api.create(order(user, List.of(item("A", 1, "1.00"), item("B", 10000, "1.00"))));
        created = 1;
        assertThat(ok.getJsonArray("items").getJsonObject(1).getInt("quantity")).isEqualTo(10000);
    }

    @Test
    void quantityIsAnIntegerWithoutFractionDigits() {
        UUID user = UUID.randomUUID();
        // "2.0" has a fraction part on the wire (a float somewhere on the client): not an integer
        assertValidation(api.post(order(user, List.of(item("A", "a", "2.0", "1.00")))), "items[0].quantity");
        assertValidation(api.post(order(user, List.of(item("A", "a", "2.5", "1.00")))), "items[0].quantity");
    }

    @Test
    void unitPriceIsRequired() {
        UUID user = UUID.randomUUID();
        assertValidation(
                api.post(order(user, List.of(body("sku", "A", "name", "a", "quantity", 1)))), "items[0].unit_price");
        assertValidation(api.post(order(user, List.of(item("A", 1, "null")))), "items[0].unit_price");
    }

    @Test
    void currencyRules() {
        UUID user = UUID.randomUUID();
        for (String bad : new String[] {"", "US", "USDX", "XYZ", "12A", "U$D", "dollar", "€"}) {
            HttpResult res = assertValidation(api.post(order(user, "currency", bad)), "currency");
            assertThat(res.detailMessage("currency")).contains("ISO 4217");
        }
        assertValidation(api.post(order(user, "currency", 840)), "currency");
        for (String[] ok : new String[][] {{"usd", "USD"}, {"Eur", "EUR"}, {"JPY", "JPY"}, {"chf", "CHF"}}) {
            assertThat(api.create(order(user, "currency", ok[0])).getString("currency"))
                    .isEqualTo(ok[1]);
            created++;
        }
    }

    @Test
    void shippingAddressAndNotesLengths() {
        UUID user = UUID.randomUUID();
        assertValidation(api.post(order(user, "shipping_address", "a".repeat(501))), "shipping_address");
        assertValidation(api.post(order(user, "notes", "n".repeat(2001))), "notes");
        assertValidation(
                api.post(order(user, "notes", 42, "shipping_address", JsonValue.EMPTY_JSON_OBJECT)),
                "notes",
                "shipping_address");
        JsonObject ok = api.create(order(user, "shipping_address", "a".repeat(500), "notes", "n".repeat(2000)));
        created = 1;
        assertThat(ok.getString("shipping_address")).hasSize(500);
        assertThat(ok.getString("notes")).hasSize(2000);
    }

    @Test
    void textLimitsRejectOneCharacterTooManyInAnyScript() {
        UUID user = UUID.randomUUID();
        String emoji = "\uD83D\uDCE6"; // one character (U+1F4E6), two UTF-16 units
        assertValidation(api.post(order(user, List.of(item(emoji.repeat(65), "n", 1, "1.00")))), "items[0].sku");
        assertValidation(api.post(order(user, List.of(item("s", emoji.repeat(201), 1, "1.00")))), "items[0].name");
        assertValidation(api.post(order(user, "shipping_address", "\u00e9".repeat(501))), "shipping_address");
        assertValidation(api.post(order(user, "notes", "\u00e9".repeat(2001))), "notes");
        JsonObject ok = api.create(order(
                user,
                List.of(item("\u00e9".repeat(64), "\u00fc".repeat(200), 1, "1.00")),
                "notes",
                "\u00e9".repeat(2000)));
        created = 1;
        assertThat(ok.getJsonArray("items").getJsonObject(0).getString("name")).isEqualTo("\u00fc".repeat(200));
        assertThat(ok.getString("notes")).isEqualTo("\u00e9".repeat(2000));
    }

    @Test
    void textLimitsCountCharactersNotUtf16Units() {
        UUID user = UUID.randomUUID();
        String emoji = "\uD83D\uDCE6"; // one character (U+1F4E6), two UTF-16 units
        HttpResult res = api.post(order(
                user,
                List.of(item(emoji.repeat(64), emoji.repeat(200), 1, "1.00")),
                "shipping_address",
                emoji.repeat(500),
                "notes",
                emoji.repeat(2000)));
        assertThat(res.status()).as(res.toString()).isEqualTo(201);
        created = 1;
        assertThat(res.data().getJsonArray("items").getJsonObject(0).getString("name"))
                .isEqualTo(emoji.repeat(200));
    }

    @Test
    void allBusinessErrorsAreListedAtOnceWithItemIndexes() {
        String body = """
                {"items":[%s,%s,%s,%s],"currency":"XX","shipping_address":"%s","notes":"%s"}""".formatted(
                        item("OK", 1, "1.00"),
                        item("BAD-Q", "q", 0, "1.00"),
                        item("", "", 1, "-1"),
                        item("BAD-P", "p", 20000, "1.234"),
                        "x".repeat(501),
                        "y".repeat(2001));
        HttpResult res = assertValidation(
                api.post(body),
                "user_id",
                "items[1].quantity",
                "items[2].sku",
                "items[2].name",
                "items[2].unit_price",
                "items[3].quantity",
                "items[3].unit_price",
                "currency",
                "shipping_address",
                "notes");
        assertThat(res.detailMessage("items[1].quantity")).isEqualTo("must be between 1 and 10000");
        assertThat(res.detailMessage("user_id")).isEqualTo("is required");
        assertThat(users.calls()).isZero();
    }

    @Test
    void allShapeErrorsAreListedAtOnce() {
        String body = """
                {"user_id":42,"items":[%s,{"sku":"B","name":"b","quantity":"2","unit_price":"1","color":"red"}],\
                "currency":1,"coupon":"FREE"}""".formatted(item("A", 1, "1.00"));
        assertValidation(
                api.post(body),
                "user_id",
                "items[1].quantity",
                "items[1].unit_price",
                "items[1].color",
                "currency",
                "coupon");
    }

    @Test
    void putAppliesTheSameRules() {
        UUID user = UUID.randomUUID();
        JsonObject order = api.create(order(user));
        created = 1;
        String id = order.getString("id");
        assertValidation(
                api.put(id, """
                {"items":[%s],"currency":"ZZZ"}""".formatted(item("A", "a", 0, "1.001"))),
                "user_id",
                "items[0].quantity",
                "items[0].unit_price",
                "currency");
        assertValidation(api.put(id, order(user, List.of())), "items");
        assertValidation(api.put(id, order(user, "notes", "n".repeat(2001))), "notes");
        assertValidation(api.put(id, order(user, "status", "confirmed")), "status");
        assertThat(api.getOrder(id).data()).isEqualTo(order);
    }

    private long total() {
        return api.get(ORDERS + "?page_size=1")
                .meta()
                .getJsonNumber("total_count")
                .longValueExact();
    }
}

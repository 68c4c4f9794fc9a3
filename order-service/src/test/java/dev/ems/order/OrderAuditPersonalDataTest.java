package dev.ems.order;

import static dev.ems.order.OrderTestSupport.item;
import static dev.ems.order.OrderTestSupport.order;
import static org.assertj.core.api.Assertions.assertThat;

import dev.ems.core.http.Json;
import dev.ems.testing.Pseudonyms;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.SetUpServer;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * An order's shipping address and notes, and the caller's address and user agent, reach the audit outbox only as
 * their pseudonyms (HMAC-SHA256 under the tests' key, computed here apart from the product): never in clear in any
 * outbox row; an update names the fields that changed; ids, status, items and amounts stay readable.
 */
class OrderAuditPersonalDataTest extends OrderServiceTestBase {
    private static final String ADDRESS = "Flat 9, 77 Quillington Row, Zorbury ZB1 7QQ";
    private static final String NEW_ADDRESS = "12 Marrowdale Close, Yelverton YV3 2XX";
    private static final String NOTES = "Ring Mrs Vexley on +447700900123";
    private static final String USER_AGENT = "OrderPiiProbe/2.9 (Wobblethorpe)";

    @SetUpServer
    static void server(WebServerConfig.Builder server) {
        start(server);
    }

    @Test
    void personalFieldsReachTheOutboxOnlyAsPseudonymsAndChangesAreNamed() {
        UUID user = UUID.randomUUID();
        String id = api.create(
                        order(user, "shipping_address", ADDRESS, "notes", NOTES, "currency", "EUR"),
                        "User-Agent",
                        USER_AGENT)
                .getString("id");
        assertThat(api.put(
                                id,
                                order(
                                        user,
                                        List.of(item("SKU-1", 3, "10.00")),
                                        "shipping_address",
                                        NEW_ADDRESS,
                                        "notes",
                                        NOTES,
                                        "currency",
                                        "EUR"))
                        .status())
                .isEqualTo(200);
        api.move(id, "confirmed");
        assertThat(api.delete(id).status()).isEqualTo(204);

        List<String> rows = Pseudonyms.outboxEvents(database(), id);

        assertThat(rows).hasSize(4);
        for (String row : rows) {
            assertThat(row.toLowerCase(Locale.ROOT))
                    .as("no personal value in clear in the outbox")
                    .doesNotContain(
                            "quillington",
                            "zorbury",
                            "zb1 7qq",
                            "marrowdale",
                            "yelverton",
                            "vexley",
                            "7700900123",
                            "orderpiiprobe",
                            "wobblethorpe");
        }
        JsonObject created = Json.parseObject(rows.get(0));
        JsonObject after = created.getJsonObject("details").getJsonObject("after");
        assertThat(after.getString("shipping_address")).isEqualTo(Pseudonyms.of(ADDRESS));
        assertThat(after.getString("notes")).isEqualTo(Pseudonyms.of(NOTES));
        assertThat(after.getString("user_id")).isEqualTo(user.toString());
        assertThat(after.getString("status")).isEqualTo("pending");
        assertThat(after.getString("currency")).isEqualTo("EUR");
        assertThat(after.getJsonNumber("total_amount").bigDecimalValue()).isEqualByComparingTo("20.00");
        assertThat(after.getJsonArray("items").getJsonObject(0).getString("sku"))
                .isEqualTo("SKU-1");
        assertThat(created.getString("user_agent")).isEqualTo(Pseudonyms.of(USER_AGENT));
        assertThat(created.getString("client_address"))
                .isIn(Pseudonyms.of("127.0.0.1"), Pseudonyms.of("0:0:0:0:0:0:0:1"));

        JsonObject replaced = Json.parseObject(rows.get(1)).getJsonObject("details");
        assertThat(strings(replaced, "changed")).containsExactly("items", "total_amount", "shipping_address");
        assertThat(replaced.getJsonObject("before").getString("shipping_address"))
                .isEqualTo(Pseudonyms.of(ADDRESS));
        assertThat(replaced.getJsonObject("after").getString("shipping_address"))
                .isEqualTo(Pseudonyms.of(NEW_ADDRESS));
        assertThat(replaced.getJsonObject("after").getJsonNumber("total_amount").bigDecimalValue())
                .isEqualByComparingTo("30.00");
        assertThat(replaced.getJsonObject("after").containsKey("notes"))
                .as("unchanged notes are not in an update")
                .isFalse();

        JsonObject confirmed = Json.parseObject(rows.get(2));
        assertThat(confirmed.getString("action")).isEqualTo("status_change");
        assertThat(strings(confirmed.getJsonObject("details"), "changed")).containsExactly("status");
        assertThat(confirmed.getJsonObject("details").getJsonObject("after").getString("status"))
                .isEqualTo("confirmed");

        JsonObject before =
                Json.parseObject(rows.get(3)).getJsonObject("details").getJsonObject("before");
        assertThat(before.getString("shipping_address")).isEqualTo(Pseudonyms.of(NEW_ADDRESS));
        assertThat(before.getString("notes")).isEqualTo(Pseudonyms.of(NOTES));
        assertThat(before.getString("status")).isEqualTo("confirmed");
    }

    private static List<String> strings(JsonObject object, String name) {
        return object.getJsonArray(name).getValuesAs(JsonString::getString);
    }
}

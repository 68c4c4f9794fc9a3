package dev.ems.order;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.core.testing.TestPostgres;

import io.helidon.common.media.type.MediaTypes;
import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;
import io.helidon.webserver.WebServerConfig;

import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import static org.assertj.core.api.Assertions.assertThat;

/** An order-service on a fresh database, wired exactly as Main wires it, pointed at a given user-service; plus helpers. */
final class OrderTestSupport {
    static final String ORDERS = "/api/v1/orders";
    static final String JSON = "application/json";
    static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** What must never reach a client: stack traces, exception names, SQL, Java class names. */
    private static final List<String> LEAKS = List.of("Exception", "at dev.", "at io.", "SELECT", "INSERT", "UPDATE orders",
                                                      "org.postgresql", "java.lang", "jakarta.", "helidon", "yasson",
                                                      "parsson");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:java|javax|jakarta|io|dev|org|com|sun)\\.[a-z0-9_]+\\.[A-Za-z0-9_.$]*");
    /** Amounts on the wire: a JSON number with exactly 2 decimals. */
    private static final Pattern AMOUNT = Pattern.compile("-?\\d+\\.\\d{2}");

    private OrderTestSupport() {
    }

    /**
     * Sets up {@code server} (from {@code @SetUpServer}) as order-service. Rate limiting is lifted unless
     * {@code overrides} set it; breaker and timeouts can be set through {@code overrides}
     * (e.g. {@code circuit.breaker.timeout}, {@code order.service.user.service.timeout}).
     */
    static Running setUp(WebServerConfig.Builder server, String userServiceUrl, Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("order.service.user.service.url", userServiceUrl);
        values.put("order.service.rate.limit", "100000");
        values.put("order.service.rate.burst", "100000");
        values.put("order.service.log.level", "warn");
        values.putAll(overrides);
        Config config = TestPostgres.serviceConfig(Main.SERVICE, values);
        ServiceRuntime runtime = ServiceRuntime.create(Main.SERVICE, config);
        UserClient users = Main.userClient(config);
        runtime.addHealthCheck(users.healthCheck());
        OrderService orders = Main.orderService(runtime, users);
        runtime.setup(server, routing -> Main.routing(routing, orders));
        return new Running(runtime, users, orders);
    }

    /** The real user-service's configuration on a fresh database (for the end-to-end tests). */
    static Config userServiceConfig(Map<String, String> overrides) {
        Map<String, String> values = new HashMap<>();
        values.put("user.service.port", "0");
        values.put("user.service.rate.limit", "100000");
        values.put("user.service.rate.burst", "100000");
        values.put("user.service.log.level", "warn");
        values.putAll(overrides);
        return TestPostgres.serviceConfig("user-service", values);
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

    /** One item as a JSON object; {@code price} is written verbatim (so "12.500", "1e2", "\"12\"" are possible). */
    static String item(String sku, String name, Object quantity, String price) {
        return "{\"sku\":" + str(sku) + ",\"name\":" + str(name) + ",\"quantity\":" + quantity + ",\"unit_price\":" + price + "}";
    }

    static String item(String sku, int quantity, String price) {
        return item(sku, "Item " + sku, quantity, price);
    }

    /** An order body; {@code extra} is raw JSON members appended (e.g. {@code "\"currency\":\"eur\""}). */
    static String order(UUID userId, List<String> items, String... extra) {
        StringBuilder b = new StringBuilder("{\"user_id\":\"").append(userId).append("\",\"items\":[")
                .append(String.join(",", items)).append(']');
        for (String e : extra) {
            b.append(',').append(e);
        }
        return b.append('}').toString();
    }

    static String order(UUID userId, String... extra) {
        return order(userId, List.of(item("SKU-1", 2, "10.00")), extra);
    }

    static String str(String s) {
        return s == null ? "null" : jakarta.json.Json.createValue(s).toString();
    }

    /** A JSON object from name/value pairs; values may be String, Number, Boolean, JsonValue or null. */
    static String body(Object... pairs) {
        JsonObjectBuilder b = jakarta.json.Json.createObjectBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            Object value = pairs[i + 1];
            switch (value) {
                case null -> b.addNull(name);
                case String s -> b.add(name, s);
                case Integer n -> b.add(name, n);
                case Long n -> b.add(name, n);
                case BigDecimal n -> b.add(name, n);
                case Boolean bool -> b.add(name, bool);
                case JsonValue v -> b.add(name, v);
                default -> throw new IllegalArgumentException("unsupported value " + value);
            }
        }
        return b.build().toString();
    }

    static JsonArray array(JsonValue... values) {
        JsonArrayBuilder b = jakarta.json.Json.createArrayBuilder();
        for (JsonValue v : values) {
            b.add(v);
        }
        return b.build();
    }

    static JsonObject parse(String json) {
        try (JsonReader reader = jakarta.json.Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    /** The exact decimal of a JSON number. */
    static BigDecimal amount(JsonObject o, String field) {
        return ((JsonNumber) o.get(field)).bigDecimalValue();
    }

    /** Asserts every amount of an order on the wire (raw JSON text) has exactly 2 decimals. */
    static void assertAmountsHaveTwoDecimals(String rawBody) {
        java.util.regex.Matcher m = Pattern.compile("\"(total_amount|unit_price|line_total)\":([^,}\\]]+)").matcher(rawBody);
        int found = 0;
        while (m.find()) {
            found++;
            assertThat(m.group(2)).as(m.group(1) + " in " + rawBody).matches(AMOUNT);
        }
        assertThat(found).as("amounts in " + rawBody).isPositive();
    }

    // ---------------------------------------------------------------- responses

    /** A response, fully read. */
    record Response(int status, Map<String, List<String>> headers, String body) {
        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        boolean hasHeader(String name) {
            return headers.containsKey(name.toLowerCase(Locale.ROOT));
        }

        JsonObject json() {
            assertThat(body).as("response body").isNotBlank();
            return parse(body);
        }

        JsonObject data() {
            JsonObject json = json();
            assertThat(json.getBoolean("success")).as("success in " + body).isTrue();
            return json.getJsonObject("data");
        }

        JsonArray dataArray() {
            JsonObject json = json();
            assertThat(json.getBoolean("success")).as("success in " + body).isTrue();
            return json.getJsonArray("data");
        }

        JsonObject meta() {
            return json().getJsonObject("meta");
        }

        JsonObject error() {
            return json().getJsonObject("error");
        }

        /** The fields named in error.details, in order. */
        List<String> detailFields() {
            JsonObject error = error();
            if (!error.containsKey("details") || error.isNull("details")) {
                return List.of();
            }
            return error.getJsonArray("details").stream().map(v -> v.asJsonObject().getString("field")).toList();
        }

        String detailMessage(String field) {
            return error().getJsonArray("details").stream().map(JsonValue::asJsonObject)
                    .filter(d -> d.getString("field").equals(field))
                    .map(d -> d.getString("message"))
                    .findFirst().orElseThrow(() -> new AssertionError("no detail for " + field + " in " + body));
        }

        List<String> ids() {
            return dataArray().stream().map(v -> v.asJsonObject().getString("id")).toList();
        }

        @Override
        public String toString() {
            return status + " " + headers + " " + body;
        }
    }

    /** Thin request helpers over the injected Http1Client. */
    static final class Api {
        private final Http1Client client;

        Api(Http1Client client) {
            this.client = client;
        }

        /**
         * @param headers name/value pairs
         * @param body    null for no entity
         */
        Response call(Method method, String uri, String body, String... headers) {
            int question = uri.indexOf('?');
            Http1ClientRequest req = client.method(method).path(question < 0 ? uri : uri.substring(0, question));
            if (question >= 0) {
                // the client re-encodes query values, so hand it the decoded ones (repeated names kept)
                Map<String, List<String>> query = new LinkedHashMap<>();
                for (String pair : uri.substring(question + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    String name = eq < 0 ? pair : pair.substring(0, eq);
                    String value = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
                }
                query.forEach((name, values) -> req.queryParam(name, values.toArray(String[]::new)));
            }
            for (int i = 0; i < headers.length; i += 2) {
                req.header(HeaderNames.create(headers[i]), headers[i + 1]);
            }
            try (HttpClientResponse res = body == null ? req.request() : req.submit(body)) {
                Map<String, List<String>> map = new LinkedHashMap<>();
                res.headers().forEach(h -> map.computeIfAbsent(h.name().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .addAll(h.allValues()));
                String text = res.entity().hasEntity() ? res.as(String.class) : "";
                return new Response(res.status().code(), map, text);
            }
        }

        Response post(String json, String... headers) {
            return call(Method.POST, ORDERS, json, withJson(headers));
        }

        Response get(String uri, String... headers) {
            return call(Method.GET, uri, null, headers);
        }

        Response getOrder(String id, String... headers) {
            return get(ORDERS + "/" + id, headers);
        }

        Response put(String id, String json, String... headers) {
            return call(Method.PUT, ORDERS + "/" + id, json, withJson(headers));
        }

        Response status(String id, String status, String... headers) {
            return call(Method.PATCH, ORDERS + "/" + id + "/status", body("status", status), withJson(headers));
        }

        Response delete(String id, String... headers) {
            return call(Method.DELETE, ORDERS + "/" + id, null, headers);
        }

        /** Creates an order, asserting 201, and returns its data. */
        JsonObject create(String json, String... headers) {
            Response res = post(json, headers);
            assertThat(res.status()).as(res.toString()).isEqualTo(201);
            return res.data();
        }

        /** Moves an order to {@code status}, asserting 200, and returns its data. */
        JsonObject move(String id, String status) {
            Response res = status(id, status);
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

        private static String[] withJson(String... headers) {
            for (int i = 0; i < headers.length; i += 2) {
                if (headers[i].equalsIgnoreCase("Content-Type")) {
                    return headers;
                }
            }
            String[] all = new String[headers.length + 2];
            all[0] = "Content-Type";
            all[1] = JSON;
            System.arraycopy(headers, 0, all, 2, headers.length);
            return all;
        }
    }

    // ---------------------------------------------------------------- assertions

    /**
     * Asserts an error envelope: status, {@code success:false}, the code, a message, an X-Request-ID, and that the body
     * leaks nothing internal (exception names, stack frames, SQL, class names).
     */
    static Response assertError(Response res, int status, String code) {
        assertThat(res.status()).as(res.toString()).isEqualTo(status);
        assertThat(res.header("Content-Type")).as(res.toString()).startsWith(JSON);
        JsonObject json = res.json();
        assertThat(json.getBoolean("success")).isFalse();
        assertThat(json.containsKey("data")).isFalse();
        JsonObject error = json.getJsonObject("error");
        assertThat(error.getString("code")).as(res.body()).isEqualTo(code);
        assertThat(error.getString("message")).isNotBlank();
        assertThat(res.header("X-Request-ID")).as("X-Request-ID on " + res).isNotBlank();
        assertNoLeak(res.body());
        return res;
    }

    static void assertNoLeak(String body) {
        for (String leak : LEAKS) {
            assertThat(body).as("response body must not contain " + leak).doesNotContainIgnoringCase(leak);
        }
        assertThat(CLASS_NAME.matcher(body).find()).as("Java class name in " + body).isFalse();
    }

    /** A 400 VALIDATION_ERROR naming exactly {@code fields}. */
    static Response assertValidation(Response res, String... fields) {
        assertError(res, 400, "VALIDATION_ERROR");
        assertThat(res.detailFields()).as(res.body()).containsExactlyInAnyOrder(fields);
        return res;
    }

    static Response assertInvalidParameter(Response res, String param) {
        assertError(res, 400, "INVALID_PARAMETER");
        assertThat(res.detailFields()).as(res.body()).containsExactly(param);
        return res;
    }

    static void assertMeta(Response res, long page, int pageSize, long totalPages, long totalCount) {
        JsonObject meta = res.meta();
        assertThat(meta).as("meta of " + res).isNotNull();
        assertThat(meta.getJsonNumber("page").longValueExact()).isEqualTo(page);
        assertThat(meta.getInt("page_size")).isEqualTo(pageSize);
        assertThat(meta.getJsonNumber("total_pages").longValueExact()).isEqualTo(totalPages);
        assertThat(meta.getJsonNumber("total_count").longValueExact()).isEqualTo(totalCount);
        assertThat(meta.keySet()).containsExactlyInAnyOrder("page", "page_size", "total_pages", "total_count");
    }

    /** A raw HTTP/1.1 exchange over a socket (for requests the client would "fix", e.g. a missing Content-Type). */
    static Response raw(int port, String head, byte[] body) {
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout((int) Duration.ofSeconds(10).toMillis());
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            if (body != null) {
                out.write(body);
            }
            out.flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            int n;
            try {
                while (!complete(all.toString(StandardCharsets.ISO_8859_1)) && (n = in.read(buf)) >= 0) {
                    all.write(buf, 0, n);
                }
            } catch (java.net.SocketException e) {
                // the server may reset the connection after answering; keep what arrived
            }
            return parseRaw(all.toString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static boolean complete(String text) {
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = text.substring(0, end).toLowerCase(Locale.ROOT);
        java.util.regex.Matcher length = Pattern.compile("\r\ncontent-length:\\s*(\\d+)").matcher(head);
        if (length.find()) {
            return text.length() - end - 4 >= Integer.parseInt(length.group(1));
        }
        if (head.contains("transfer-encoding: chunked")) {
            return text.endsWith("\r\n0\r\n\r\n") || text.substring(end + 4).startsWith("0\r\n\r\n");
        }
        return false;
    }

    private static Response parseRaw(String text) {
        int end = text.indexOf("\r\n\r\n");
        assertThat(end).as("an HTTP response: " + text).isPositive();
        String[] lines = text.substring(0, end).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(lines[i].substring(colon + 1).trim());
        }
        String body = text.substring(end + 4);
        List<String> te = headers.get("transfer-encoding");
        if (te != null && te.getFirst().equalsIgnoreCase("chunked")) {
            StringBuilder decoded = new StringBuilder();
            int pos = 0;
            while (pos < body.length()) {
                int lineEnd = body.indexOf("\r\n", pos);
                int size = Integer.parseInt(body.substring(pos, lineEnd).trim(), 16);
                if (size == 0) {
                    break;
                }
                decoded.append(body, lineEnd + 2, lineEnd + 2 + size);
                pos = lineEnd + 2 + size + 2;
            }
            body = decoded.toString();
        }
        return new Response(status, headers, body);
    }
}

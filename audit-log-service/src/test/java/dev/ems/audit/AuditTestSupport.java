package dev.ems.audit;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import dev.ems.core.testing.TestPostgres;

import io.helidon.config.Config;
import io.helidon.http.HeaderNames;
import io.helidon.http.Method;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webclient.http1.Http1ClientRequest;

import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Shared helpers of the audit-log-service tests: a service on a fresh database (whose name tests keep, to reach
 * behind the API with JDBC), entry bodies, requests, envelope assertions.
 */
final class AuditTestSupport {
    static final String AUDIT = "/api/v1/audit-logs";
    static final String JSON = "application/json";
    static final Pattern UUID_PATTERN = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    /** A field value meaning "leave this field out of the body". */
    static final Object ABSENT = new Object();
    /** What must never reach a client: stack traces, exception names, SQL, Java class names. */
    private static final List<String> LEAKS = List.of("Exception", "at dev.", "at io.", "SELECT", "INSERT", "UPDATE audit",
                                                      "audit_entries", "org.postgresql", "java.lang", "jakarta.", "helidon",
                                                      "yasson", "parsson", "PSQL");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b(?:java|javax|jakarta|io|dev|org|com|sun)\\.[a-z0-9_]+\\.[A-Za-z0-9_.$]*");
    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    private AuditTestSupport() {
    }

    /** The service configuration against {@code database}, rate limiting effectively off. */
    static Config config(String database, Map<String, String> overrides) {
        Map<String, String> all = new HashMap<>();
        all.put("audit.log.service.rate.limit", "100000");
        all.put("audit.log.service.rate.burst", "100000");
        all.put("audit.log.service.log.level", "warn");
        all.putAll(overrides);
        return TestPostgres.serviceConfig(Main.SERVICE, TestPostgres.shared().getPort(), database, all);
    }

    /** A JDBC connection to {@code database} on the shared test server, behind the service's back. */
    static Connection connect(String database) {
        try {
            return TestPostgres.shared().getDatabase("postgres", database).getConnection();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Runs statements directly in {@code database}; returns the update count of the last one. */
    static int sql(String database, String... statements) {
        try (Connection c = connect(database); Statement s = c.createStatement()) {
            int count = 0;
            for (String statement : statements) {
                s.execute(statement);
                count = s.getUpdateCount();
            }
            return count;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A single-value query run directly in {@code database}. */
    static String scalar(String database, String query) {
        try (Connection c = connect(database); Statement s = c.createStatement(); var rs = s.executeQuery(query)) {
            return rs.next() ? rs.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A short unique token for this JVM (entity ids, actors), so tests never see each other's entries. */
    static String unique(String prefix) {
        return prefix + "-" + SEQUENCE.incrementAndGet() + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    /** An RFC 3339 timestamp {@code secondsAgo} seconds before now. */
    static String ago(long secondsAgo) {
        return Instant.now().minusSeconds(secondsAgo).truncatedTo(ChronoUnit.MICROS).toString();
    }

    /**
     * A valid entry body: every required field with a fresh event_id, overridden by {@code pairs} (name/value; a value
     * of {@link #ABSENT} leaves the field out, null writes JSON null).
     */
    static String entry(Object... pairs) {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event_id", UUID.randomUUID().toString());
        fields.put("occurred_at", ago(60));
        fields.put("service", "user-service");
        fields.put("actor", "user:alice");
        fields.put("action", "update");
        fields.put("entity_type", "user");
        fields.put("entity_id", UUID.randomUUID().toString());
        for (int i = 0; i < pairs.length; i += 2) {
            fields.put((String) pairs[i], pairs[i + 1]);
        }
        fields.values().removeIf(v -> v == ABSENT);
        Object[] flat = new Object[fields.size() * 2];
        int i = 0;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            flat[i++] = e.getKey();
            flat[i++] = e.getValue();
        }
        return body(flat);
    }

    /** {@code {"entries": [...]}} of the given entry bodies. */
    static String batchOf(String... entries) {
        return "{\"entries\":[" + String.join(",", entries) + "]}";
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

    /** An entry as the API returned it, back as the service's record (to recompute hashes in tests). */
    static AuditEntry entryOf(JsonObject e) {
        return new AuditEntry(UUID.fromString(e.getString("id")), UUID.fromString(e.getString("event_id")),
                              Instant.parse(e.getString("occurred_at")), Instant.parse(e.getString("recorded_at")),
                              e.getString("service"), e.getString("actor"), e.getString("action"), e.getString("entity_type"),
                              e.getString("entity_id"), text(e, "request_id"), e.getJsonObject("details"),
                              text(e, "client_address"), text(e, "user_agent"), e.getJsonNumber("seq").longValueExact(),
                              e.getString("prev_hash"), e.getString("hash"));
    }

    private static String text(JsonObject o, String name) {
        return o.isNull(name) ? null : o.getString(name);
    }

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

        /** The message of the detail about {@code field}. */
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
            return call(Method.POST, AUDIT, json, withJson(headers));
        }

        Response batch(String json, String... headers) {
            return call(Method.POST, AUDIT + "/batch", json, withJson(headers));
        }

        Response get(String uri, String... headers) {
            return call(Method.GET, uri, null, headers);
        }

        Response getEntry(String id) {
            return get(AUDIT + "/" + id);
        }

        /** Appends one entry, asserting 201, and returns its data. */
        JsonObject create(String json) {
            Response res = post(json);
            assertThat(res.status()).as(res.toString()).isEqualTo(201);
            return res.data();
        }

        /** Appends a batch, asserting 201, and returns the response. */
        Response createBatch(String... entries) {
            Response res = batch(batchOf(entries));
            assertThat(res.status()).as(res.toString()).isEqualTo(201);
            return res;
        }

        /** GET /verify (with an optional query such as "?from=..."), asserting 200, and returns its data. */
        JsonObject verify(String query) {
            Response res = get(AUDIT + "/verify" + query);
            assertThat(res.status()).as(res.toString()).isEqualTo(200);
            return res.data();
        }

        JsonObject verify() {
            return verify("");
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

    /** Asserts {@code verify} says the chain is intact over {@code checked} entries. */
    static void assertIntact(JsonObject verify, long checked) {
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isTrue();
        assertThat(verify.getJsonNumber("checked").longValueExact()).as(verify.toString()).isEqualTo(checked);
        assertThat(verify.keySet()).as(verify.toString()).containsExactlyInAnyOrder("intact", "checked");
    }

    /** Asserts {@code verify} says the chain is broken at {@code seq} (and, when not null, at the entry {@code id}). */
    static void assertBroken(JsonObject verify, long seq, String id) {
        assertThat(verify.getBoolean("intact")).as(verify.toString()).isFalse();
        assertThat(verify.getJsonNumber("first_broken_seq").longValueExact()).as(verify.toString()).isEqualTo(seq);
        if (id != null) {
            assertThat(verify.getString("first_broken_id")).as(verify.toString()).isEqualTo(id);
        }
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

    /** Whether {@code text} holds a whole response (headers, then Content-Length bytes or the last chunk). */
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

package dev.ems.core.http;

import io.helidon.http.HeaderValues;
import io.helidon.http.Status;
import io.helidon.webserver.http.ServerResponse;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.json.bind.JsonbConfig;
import jakarta.json.bind.config.PropertyNamingStrategy;
import jakarta.json.spi.JsonProvider;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;

/**
 * The one configured JSON-B of EMS: snake_case names for every record, nulls omitted, ISO-8601 UTC instants.
 * Helidon's JsonbSupport cannot take a naming strategy, so responses are written through this instance.
 * Also the one JSON-P provider: {@code jakarta.json.Json.createReader/createObjectBuilder} look the provider up on
 * the class path on every call (measured: 15% of the audit search's CPU went into jar lookups), so EMS code builds
 * and parses JSON-P values through {@link #parseObject} and {@link #objectBuilder} instead.
 */
public final class Json {
    private static final Jsonb JSONB = JsonbBuilder.create(
            new JsonbConfig().withPropertyNamingStrategy(PropertyNamingStrategy.LOWER_CASE_WITH_UNDERSCORES));

    private static final JsonProvider JSONP = JsonProvider.provider();

    private Json() {}

    public static String write(Object value) {
        return JSONB.toJson(value);
    }

    public static <T> T read(String json, Class<T> type) {
        return JSONB.fromJson(json, type);
    }

    /** Parses a JSON object (text this system wrote or already validated). */
    public static JsonObject parseObject(String json) {
        try (JsonReader reader = JSONP.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }

    public static JsonObjectBuilder objectBuilder() {
        return JSONP.createObjectBuilder();
    }

    public static JsonArrayBuilder arrayBuilder() {
        return JSONP.createArrayBuilder();
    }

    /** Sends {@code body} as {@code application/json} with the given status. */
    public static void send(ServerResponse res, Status status, Object body) {
        res.status(status);
        res.header(HeaderValues.CONTENT_TYPE_JSON);
        res.send(write(body).getBytes(StandardCharsets.UTF_8));
    }
}

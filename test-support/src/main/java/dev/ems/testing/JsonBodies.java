package dev.ems.testing;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonValue;
import java.io.StringReader;
import java.math.BigDecimal;

/** JSON for request bodies and from response bodies. */
public final class JsonBodies {
    private JsonBodies() {}

    /**
     * A JSON object from name/value pairs; values may be String, Integer, Long, Double, BigDecimal, Boolean, JsonValue
     * or null.
     */
    public static String body(Object... pairs) {
        JsonObjectBuilder b = Json.createObjectBuilder();
        for (int i = 0; i < pairs.length; i += 2) {
            String name = (String) pairs[i];
            Object value = pairs[i + 1];
            switch (value) {
                case null -> b.addNull(name);
                case String s -> b.add(name, s);
                case Integer n -> b.add(name, n);
                case Long n -> b.add(name, n);
                case Double n -> b.add(name, n);
                case BigDecimal n -> b.add(name, n);
                case Boolean bool -> b.add(name, bool);
                case JsonValue v -> b.add(name, v);
                default -> throw new IllegalArgumentException("unsupported value " + value);
            }
        }
        return b.build().toString();
    }

    /**
     * The members of {@link #body(Object...)}'s object without its braces ("" for none): for a body written by hand
     * around JSON that must stay verbatim (a number the builder would rewrite, a wrong type on purpose).
     */
    public static String members(Object... pairs) {
        String object = body(pairs);
        return object.substring(1, object.length() - 1);
    }

    public static JsonArray array(JsonValue... values) {
        JsonArrayBuilder b = Json.createArrayBuilder();
        for (JsonValue v : values) {
            b.add(v);
        }
        return b.build();
    }

    public static JsonObject parse(String json) {
        try (JsonReader reader = Json.createReader(new StringReader(json))) {
            return reader.readObject();
        }
    }
}

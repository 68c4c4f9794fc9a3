package dev.ems.testing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP response, fully read: status, headers (names lower-cased) and body; plus readers of the EMS envelope
 * ({@code success}, {@code data}, {@code meta}, {@code error}).
 */
public record HttpResult(int status, Map<String, List<String>> headers, String body) {
    public String header(String name) {
        List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
        return values == null || values.isEmpty() ? null : values.getFirst();
    }

    public boolean hasHeader(String name) {
        return headers.containsKey(name.toLowerCase(Locale.ROOT));
    }

    public JsonObject json() {
        assertThat(body).as("response body").isNotBlank();
        return JsonBodies.parse(body);
    }

    public JsonObject data() {
        JsonObject json = json();
        assertThat(json.getBoolean("success")).as("success in " + body).isTrue();
        return json.getJsonObject("data");
    }

    public JsonArray dataArray() {
        JsonObject json = json();
        assertThat(json.getBoolean("success")).as("success in " + body).isTrue();
        return json.getJsonArray("data");
    }

    public JsonObject meta() {
        return json().getJsonObject("meta");
    }

    public JsonObject error() {
        return json().getJsonObject("error");
    }

    /** The fields named in error.details, in order. */
    public List<String> detailFields() {
        JsonObject error = error();
        if (!error.containsKey("details") || error.isNull("details")) {
            return List.of();
        }
        return error.getJsonArray("details").stream()
                .map(v -> v.asJsonObject().getString("field"))
                .toList();
    }

    /** The message of the detail about {@code field}. */
    public String detailMessage(String field) {
        return error().getJsonArray("details").stream()
                .map(JsonValue::asJsonObject)
                .filter(d -> d.getString("field").equals(field))
                .map(d -> d.getString("message"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no detail for " + field + " in " + body));
    }

    /** The {@code id} of every object in a {@code data} array, in order. */
    public List<String> ids() {
        return dataArray().stream().map(v -> v.asJsonObject().getString("id")).toList();
    }

    @Override
    public String toString() {
        return status + " " + headers + " " + body;
    }
}

package dev.ems.core.http;

import io.helidon.common.media.type.MediaType;
import io.helidon.webserver.http.ServerRequest;
import jakarta.json.JsonArray;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.json.bind.JsonbException;
import jakarta.json.bind.annotation.JsonbProperty;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import java.io.StringReader;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Reads a JSON request body into a record, strictly.
 * <ol>
 *   <li>the Content-Type must be JSON (415 otherwise), the body present and well-formed (400 INVALID_JSON);</li>
 *   <li>the JSON is checked against the record's components: unknown fields and wrong types are all reported at
 *       once as 400 VALIDATION_ERROR with one detail per field (JSON-B alone would silently coerce or ignore them);</li>
 *   <li>only then does JSON-B bind it. Numbers bind to {@link BigDecimal} exactly, never through a double.</li>
 * </ol>
 * Business rules (lengths, formats) are the service's job; this class only guarantees the shape.
 * <p>
 * The body is read by {@link RequestBody} (UTF-8, within the body deadline), and free-form JSON (a {@code Map}, {@code JsonObject} or {@code Object} component, such as
 * audit details) is nested at most {@value #MAX_FREE_FORM_DEPTH} levels and at most {@value #MAX_FREE_FORM_BYTES}
 * bytes long.
 */
public final class JsonBody {
    private static final int MAX_DIGITS = 1000;
    static final int MAX_FREE_FORM_DEPTH = 32;
    static final int MAX_FREE_FORM_BYTES = 16 * 1024;
    /** A key given twice is an error, not "the last one wins". */
    private static final JsonParserFactory PARSERS =
            jakarta.json.Json.createParserFactory(Map.of("org.eclipse.parsson.rejectDuplicateKeys", true));

    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (RecordComponent component : type.getRecordComponents()) {
                JsonbProperty property = component.getAccessor().getAnnotation(JsonbProperty.class);
                String name = property != null ? property.value() : snakeCase(component.getName());
                fields.add(new Field(name, component.getGenericType()));
            }
            return List.copyOf(fields);
        }
    };

    private JsonBody() {}

    /** The body as a JSON object, after the media-type and syntax checks. */
    public static JsonObject object(ServerRequest req) {
        requireJsonContentType(req);
        if (!req.content().hasEntity()) {
            throw new ApiException(CommonErrorCode.INVALID_JSON, "request body is required");
        }
        String text = RequestBody.text(req);
        if (text.isBlank()) {
            throw new ApiException(CommonErrorCode.INVALID_JSON, "request body is required");
        }
        try (JsonParser parser = PARSERS.createParser(new StringReader(text))) {
            if (parser.next() != JsonParser.Event.START_OBJECT) {
                throw new ApiException(CommonErrorCode.INVALID_JSON, "request body must be a JSON object");
            }
            JsonObject object = parser.getObject();
            if (parser.hasNext()) {
                throw new ApiException(CommonErrorCode.INVALID_JSON, "request body has content after the JSON object");
            }
            return object;
        } catch (ApiException e) {
            throw e;
        } catch (RuntimeException e) {
            // untrusted input: whatever the parser throws means the body is not JSON we accept (Parsson uses
            // JsonException, but also IllegalStateException for a duplicate key, NumberFormatException and
            // UnsupportedOperationException for numbers beyond its limits)
            throw new ApiException(
                    CommonErrorCode.INVALID_JSON, "request body is not valid JSON (malformed, or a key given twice)");
        }
    }

    /** Reads the body into {@code type} (a record). */
    public static <T extends Record> T read(ServerRequest req, Class<T> type) {
        return bind(object(req), type);
    }

    /** Checks {@code json} against the record {@code type} and binds it. */
    public static <T extends Record> T bind(JsonObject json, Class<T> type) {
        List<FieldError> errors = new ArrayList<>();
        checkObject(json, type, "", errors);
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        try {
            return Json.read(json.toString(), type);
        } catch (JsonbException e) {
            // the shape was checked above, so this is a value JSON-B still refuses (e.g. a number out of range)
            throw new ApiException(CommonErrorCode.INVALID_JSON, "request body does not fit this endpoint");
        }
    }

    private static void requireJsonContentType(ServerRequest req) {
        Optional<MediaType> mediaType = req.headers().contentType().map(it -> it.mediaType());
        boolean json = mediaType
                .map(it -> "application".equals(it.type())
                        && ("json".equals(it.subtype()) || it.subtype().endsWith("+json")))
                .orElse(false);
        if (!json) {
            throw new ApiException(CommonErrorCode.UNSUPPORTED_MEDIA_TYPE, "Content-Type must be application/json");
        }
    }

    private static void checkObject(JsonObject json, Class<?> type, String prefix, List<FieldError> errors) {
        List<Field> fields = FIELDS.get(type);
        for (String key : json.keySet()) {
            if (fields.stream().noneMatch(f -> f.name().equals(key))) {
                errors.add(new FieldError(prefix + key, "unknown field"));
            }
        }
        for (Field field : fields) {
            JsonValue value = json.get(field.name());
            if (value != null) {
                checkValue(value, field.type(), prefix + field.name(), errors);
            }
        }
    }

    private static void checkValue(JsonValue value, Type type, String path, List<FieldError> errors) {
        Class<?> raw = rawClass(type);
        if (value.getValueType() == JsonValue.ValueType.NULL) {
            if (raw.isPrimitive()) {
                errors.add(new FieldError(path, "must not be null"));
            }
            return;
        }
        if (raw == String.class) {
            expect(value, JsonValue.ValueType.STRING, "must be a string", path, errors); // its rules: the service's
        } else if (raw == UUID.class) {
            if (expect(value, JsonValue.ValueType.STRING, "must be a UUID string", path, errors)) {
                if (!isCanonicalUuid(((JsonString) value).getString())) {
                    errors.add(new FieldError(path, "must be a UUID string"));
                }
            }
        } else if (raw == Instant.class || raw == OffsetDateTime.class) {
            if (expect(value, JsonValue.ValueType.STRING, "must be an RFC 3339 timestamp", path, errors)
                    && Timestamps.parse(((JsonString) value).getString()).isEmpty()) {
                errors.add(new FieldError(path, Timestamps.RULE));
            }
        } else if (raw == Boolean.class || raw == boolean.class) {
            if (value.getValueType() != JsonValue.ValueType.TRUE && value.getValueType() != JsonValue.ValueType.FALSE) {
                errors.add(new FieldError(path, "must be a boolean"));
            }
        } else if (raw == BigDecimal.class) {
            if (expect(value, JsonValue.ValueType.NUMBER, "must be a number", path, errors)) {
                number(value, path, errors);
            }
        } else if (raw == Integer.class || raw == int.class || raw == Long.class || raw == long.class) {
            long min = raw == Integer.class || raw == int.class ? Integer.MIN_VALUE : Long.MIN_VALUE;
            long max = raw == Integer.class || raw == int.class ? Integer.MAX_VALUE : Long.MAX_VALUE;
            if (expect(value, JsonValue.ValueType.NUMBER, "must be an integer", path, errors)) {
                BigDecimal number = number(value, path, errors);
                // written without a fraction: 2 or 2e0, not 2.0 (a client sending 2.0 has a float somewhere)
                if (number != null
                        && (number.scale() > 0
                                || number.compareTo(BigDecimal.valueOf(min)) < 0
                                || number.compareTo(BigDecimal.valueOf(max)) > 0)) {
                    errors.add(new FieldError(path, "must be an integer"));
                }
            }
        } else if (raw.isEnum()) {
            expect(value, JsonValue.ValueType.STRING, "must be a string", path, errors);
        } else if (List.class.isAssignableFrom(raw)) {
            if (expect(value, JsonValue.ValueType.ARRAY, "must be an array", path, errors)) {
                Type element = ((ParameterizedType) type).getActualTypeArguments()[0];
                JsonArray array = value.asJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    checkValue(array.get(i), element, path + "[" + i + "]", errors);
                }
            }
        } else if (raw.isRecord()) {
            if (expect(value, JsonValue.ValueType.OBJECT, "must be an object", path, errors)) {
                checkObject(value.asJsonObject(), raw, path + ".", errors);
            }
        } else if (Map.class.isAssignableFrom(raw) || JsonObject.class.isAssignableFrom(raw)) {
            if (expect(value, JsonValue.ValueType.OBJECT, "must be an object", path, errors)) {
                freeForm(value, path, errors);
            }
        } else {
            freeForm(value, path, errors); // Object, JsonValue: any JSON, but still storable
        }
    }

    /**
     * Free-form JSON (e.g. audit details): any shape within the depth and size limits, every key and string
     * storable, every number readable.
     */
    private static void freeForm(JsonValue value, String path, List<FieldError> errors) {
        if (depth(value, 0) > MAX_FREE_FORM_DEPTH) {
            errors.add(new FieldError(path, "must not be nested deeper than " + MAX_FREE_FORM_DEPTH + " levels"));
            return;
        }
        if (value.toString().getBytes(StandardCharsets.UTF_8).length > MAX_FREE_FORM_BYTES) {
            errors.add(new FieldError(path, "must be at most " + MAX_FREE_FORM_BYTES + " bytes as JSON"));
            return;
        }
        storable(value, path, errors);
    }

    /** How deep {@code value} nests, counted only up to one level beyond the limit (so a hostile depth costs little). */
    private static int depth(JsonValue value, int above) {
        if (above > MAX_FREE_FORM_DEPTH) {
            return above;
        }
        int deepest = above;
        if (value.getValueType() == JsonValue.ValueType.OBJECT) {
            for (JsonValue child : value.asJsonObject().values()) {
                deepest = Math.max(deepest, depth(child, above + 1));
            }
        } else if (value.getValueType() == JsonValue.ValueType.ARRAY) {
            for (JsonValue child : value.asJsonArray()) {
                deepest = Math.max(deepest, depth(child, above + 1));
            }
        }
        return deepest;
    }

    private static void storable(JsonValue value, String path, List<FieldError> errors) {
        switch (value.getValueType()) {
            case OBJECT ->
                value.asJsonObject().forEach((key, child) -> {
                    Fields.storable(key, path + "." + key, errors);
                    storable(child, path + "." + key, errors);
                });
            case ARRAY -> {
                JsonArray array = value.asJsonArray();
                for (int i = 0; i < array.size(); i++) {
                    storable(array.get(i), path + "[" + i + "]", errors);
                }
            }
            case STRING -> Fields.storable(((JsonString) value).getString(), path, errors);
            case NUMBER -> number(value, path, errors);
            default -> {
                // true, false, null
            }
        }
    }

    /**
     * The number's exact value, or null (and an error) when it has more than {@value #MAX_DIGITS} digits before or
     * after the point: such a number could be stored but not read back (the JSON parser stops at 1100 characters).
     */
    private static BigDecimal number(JsonValue value, String path, List<FieldError> errors) {
        try {
            BigDecimal number = ((JsonNumber) value).bigDecimalValue();
            if (number.precision() - number.scale() <= MAX_DIGITS && number.scale() <= MAX_DIGITS) {
                return number;
            }
        } catch (RuntimeException e) {
            // beyond the parser's own limits: reported below
        }
        errors.add(new FieldError(path, "must be a number of at most " + MAX_DIGITS + " digits"));
        return null;
    }

    /** UUID.fromString alone is lenient ("1-1-1-1-1" parses): only the 8-4-4-4-12 hex form is a UUID here. */
    public static boolean isCanonicalUuid(String text) {
        try {
            return text.length() == 36 && UUID.fromString(text).toString().equalsIgnoreCase(text);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean expect(
            JsonValue value, JsonValue.ValueType expected, String message, String path, List<FieldError> errors) {
        if (value.getValueType() != expected) {
            errors.add(new FieldError(path, message));
            return false;
        }
        return true;
    }

    private static Class<?> rawClass(Type type) {
        if (type instanceof Class<?> c) {
            return c;
        }
        if (type instanceof ParameterizedType p) {
            return (Class<?>) p.getRawType();
        }
        return Object.class;
    }

    /** The JSON name JSON-B's LOWER_CASE_WITH_UNDERSCORES strategy gives a Java name. */
    static String snakeCase(String javaName) {
        StringBuilder out = new StringBuilder(javaName.length() + 4);
        for (int i = 0; i < javaName.length(); i++) {
            char c = javaName.charAt(i);
            if (Character.isUpperCase(c)) {
                if (!out.isEmpty()) {
                    out.append('_');
                }
                out.append(Character.toLowerCase(c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private record Field(String name, Type type) {}
}

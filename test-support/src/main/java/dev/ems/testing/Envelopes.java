package dev.ems.testing;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.json.JsonObject;
import java.util.List;
import java.util.regex.Pattern;

/** Assertions on the EMS response envelope: errors, validation details, page meta, and that nothing internal leaks. */
public final class Envelopes {
    public static final Pattern UUID_PATTERN =
            Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
    /** What must never reach a client: stack traces, exception names, SQL, driver and library names. */
    private static final List<String> LEAKS = List.of(
            "Exception",
            "at dev.",
            "at io.",
            "SELECT",
            "INSERT",
            "audit_entries",
            "org.postgresql",
            "PSQL",
            "java.lang",
            "jakarta.",
            "helidon",
            "yasson",
            "parsson");
    /** An SQL update of any table ("UPDATE users", "UPDATE orders", ...). */
    private static final Pattern SQL_UPDATE = Pattern.compile("UPDATE \\w+", Pattern.CASE_INSENSITIVE);

    private static final Pattern CLASS_NAME =
            Pattern.compile("\\b(?:java|javax|jakarta|io|dev|org|com|sun)\\.[a-z0-9_]+\\.[A-Za-z0-9_.$]*");

    /** The bearer challenge of every 401 (RFC 6750), the realm being EMS. */
    private static final String CHALLENGE = "Bearer realm=\"ems\"";

    private Envelopes() {}

    /**
     * Asserts an error envelope: status, {@code success:false}, the code, a message, an X-Request-ID, and that the body
     * leaks nothing internal (exception names, stack frames, SQL, class names).
     */
    public static HttpResult assertError(HttpResult res, int status, String code) {
        assertThat(res.status()).as(res.toString()).isEqualTo(status);
        assertThat(res.header("Content-Type")).as(res.toString()).startsWith(ApiCalls.JSON);
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

    /**
     * 401 UNAUTHORIZED to a request without a bearer token: the envelope and the bare challenge {@code Bearer
     * realm="ems"} (RFC 6750: no {@code error} when no credentials were sent).
     */
    public static HttpResult assertTokenRequired(HttpResult res) {
        assertError(res, 401, "UNAUTHORIZED");
        assertThat(res.header("WWW-Authenticate")).as(res.toString()).isEqualTo(CHALLENGE);
        return res;
    }

    /**
     * 401 UNAUTHORIZED to a request with a bad bearer token ({@code token}): the envelope, the challenge with {@code
     * error="invalid_token"}, and nothing of the token (any of its parts) echoed in the headers or the body.
     */
    public static HttpResult assertTokenRefused(HttpResult res, String token) {
        assertError(res, 401, "UNAUTHORIZED");
        assertThat(res.header("WWW-Authenticate"))
                .as(res.toString())
                .isEqualTo(CHALLENGE + ", error=\"invalid_token\"");
        for (String part : token.split("\\.", -1)) {
            if (part.length() >= 8) {
                assertThat(res.toString()).as("the token echoed").doesNotContain(part);
            }
        }
        return res;
    }

    public static void assertNoLeak(String body) {
        for (String leak : LEAKS) {
            assertThat(body).as("response body must not contain " + leak).doesNotContainIgnoringCase(leak);
        }
        assertThat(SQL_UPDATE.matcher(body).find()).as("SQL UPDATE in " + body).isFalse();
        assertThat(CLASS_NAME.matcher(body).find())
                .as("Java class name in " + body)
                .isFalse();
    }

    /** A 400 VALIDATION_ERROR naming exactly {@code fields} (in any order). */
    public static HttpResult assertValidation(HttpResult res, String... fields) {
        assertError(res, 400, "VALIDATION_ERROR");
        assertThat(res.detailFields()).as(res.body()).containsExactlyInAnyOrder(fields);
        return res;
    }

    /** A 400 INVALID_PARAMETER naming exactly {@code param}. */
    public static HttpResult assertInvalidParameter(HttpResult res, String param) {
        assertError(res, 400, "INVALID_PARAMETER");
        assertThat(res.detailFields()).as(res.body()).containsExactly(param);
        return res;
    }

    /** The page meta of a list: exactly page, page_size, total_pages and total_count, with these values. */
    public static void assertMeta(HttpResult res, long page, int pageSize, long totalPages, long totalCount) {
        JsonObject meta = res.meta();
        assertThat(meta).as("meta of " + res).isNotNull();
        assertThat(meta.getJsonNumber("page").longValueExact()).isEqualTo(page);
        assertThat(meta.getInt("page_size")).isEqualTo(pageSize);
        assertThat(meta.getJsonNumber("total_pages").longValueExact()).isEqualTo(totalPages);
        assertThat(meta.getJsonNumber("total_count").longValueExact()).isEqualTo(totalCount);
        assertThat(meta.keySet()).containsExactlyInAnyOrder("page", "page_size", "total_pages", "total_count");
    }
}

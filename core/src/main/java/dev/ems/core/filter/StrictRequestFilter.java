package dev.ems.core.filter;

import dev.ems.core.http.ApiException;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.ErrorHandlers;
import dev.ems.core.http.RequestContext;
import io.helidon.http.HeaderNames;
import io.helidon.http.Headers;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * Refuses, with 400 BAD_REQUEST, what Helidon 4.1.7 lets through (see README, "Limits and strictness"):
 * <ul>
 *   <li>ambiguous message framing (RFC 9112 section 6): Transfer-Encoding together with Content-Length, a
 *       Transfer-Encoding other than exactly {@code chunked} (Helidon would then frame the body by Content-Length or
 *       not at all, and read the body as the next request: request smuggling behind a proxy that reads it otherwise),
 *       a Content-Length that is not all digits ({@code +5}, {@code -1}: Helidon reads -1 as chunked) or given twice
 *       with different values. The connection is closed after the answer: what follows on it cannot be trusted;</li>
 *   <li>a query string that is not well-formed: a {@code %} not followed by two hex digits, percent-encoded bytes
 *       that are not UTF-8 (overlong forms included), control characters (NUL...). The service reads its query
 *       parameters itself (Helidon's own check also refuses the {@code :} of a timestamp), so it must not meet them.</li>
 * </ul>
 */
public final class StrictRequestFilter implements Filter {

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String framing = framingProblem(req.headers());
        if (framing != null) {
            RequestContext.of(req).ifPresent(RequestContext::closeConnection);
            ErrorHandlers.respond(
                    req, res, new ApiException(CommonErrorCode.BAD_REQUEST, "malformed request: " + framing));
            return;
        }
        if (!wellFormedQuery(req.query().rawValue())) {
            ErrorHandlers.respond(req, res, new ApiException(CommonErrorCode.BAD_REQUEST, "malformed query string"));
            return;
        }
        chain.proceed();
    }

    /** What is wrong with how the request says where its body ends, or null. */
    static String framingProblem(Headers headers) {
        List<String> lengths = headers.contains(HeaderNames.CONTENT_LENGTH)
                ? headers.get(HeaderNames.CONTENT_LENGTH).allValues()
                : List.of();
        if (headers.contains(HeaderNames.TRANSFER_ENCODING)) {
            if (!lengths.isEmpty()) {
                return "both Transfer-Encoding and Content-Length";
            }
            List<String> codings = headers.get(HeaderNames.TRANSFER_ENCODING).allValues().stream()
                    .flatMap(v -> Arrays.stream(v.split(",", -1)))
                    .map(String::strip)
                    .toList();
            if (!codings.equals(List.of("chunked"))) {
                return "Transfer-Encoding other than chunked";
            }
            return null;
        }
        for (String length : lengths) {
            if (length.isEmpty() || !length.chars().allMatch(c -> c >= '0' && c <= '9')) {
                return "Content-Length is not a number";
            }
        }
        if (lengths.stream().distinct().count() > 1) {
            return "Content-Length given with different values";
        }
        return null;
    }

    /** Percent-escapes complete, the bytes they stand for UTF-8, no control character anywhere. */
    static boolean wellFormedQuery(String raw) {
        if (raw == null || raw.isEmpty()) {
            return true;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(raw.length());
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                if (i + 2 >= raw.length()
                        || Character.digit(raw.charAt(i + 1), 16) < 0
                        || Character.digit(raw.charAt(i + 2), 16) < 0) {
                    return false;
                }
                bytes.write(Character.digit(raw.charAt(i + 1), 16) * 16 + Character.digit(raw.charAt(i + 2), 16));
                i += 2;
            } else {
                bytes.write(c < 0x80 ? c : '?'); // a raw non-ASCII character: not percent-encoded, but no control
            }
        }
        byte[] decoded = bytes.toByteArray();
        for (byte b : decoded) {
            if ((b >= 0 && b < 0x20) || b == 0x7f) {
                return false;
            }
        }
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(decoded));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}

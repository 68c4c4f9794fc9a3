package dev.ems.core.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

import dev.ems.core.filter.CorsFilter;

import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;

/**
 * Answers the requests the server rejects before routing (a Content-Length beyond the payload limit, a broken
 * request line or header) with the same error envelope, request id and CORS headers as everything else, instead
 * of Helidon's plain text.
 */
public final class EnvelopeDirectHandler implements DirectHandler {
    private final CorsFilter cors;

    public EnvelopeDirectHandler(CorsFilter cors) {
        this.cors = cors;
    }

    @Override
    public TransportResponse handle(TransportRequest request,
                                    EventType eventType,
                                    Status defaultStatus,
                                    ServerResponseHeaders responseHeaders,
                                    String message) {
        ErrorCode code = ErrorCode.forStatus(defaultStatus.code());
        String text = switch (code) {
            case PAYLOAD_TOO_LARGE -> "request body is too large";
            case INTERNAL_ERROR -> "internal server error";
            default -> "malformed request";
        };
        byte[] body = Json.write(ApiResponse.failure(code, text, List.of())).getBytes(StandardCharsets.UTF_8);
        responseHeaders.set(HeaderValues.CONTENT_TYPE_JSON);
        responseHeaders.set(RequestContext.REQUEST_ID,
                            request.headers().first(RequestContext.REQUEST_ID)
                                    .filter(RequestIds::isSane)
                                    .orElseGet(() -> UUID.randomUUID().toString()));
        cors.addResponseHeaders(request.headers().first(HeaderNames.ORIGIN), responseHeaders);
        return TransportResponse.builder()
                .status(code.status())
                .headers(responseHeaders)
                .entity(body)
                .keepAlive(eventType.keepAlive())
                .build();
    }
}

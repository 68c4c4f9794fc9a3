package dev.ems.core.server;

import dev.ems.core.filter.AccessLogFilter;
import dev.ems.core.filter.CorsFilter;
import dev.ems.core.filter.MetricsFilter;
import dev.ems.core.http.ApiResponse;
import dev.ems.core.http.CommonErrorCode;
import dev.ems.core.http.Json;
import dev.ems.core.http.RequestContext;
import dev.ems.core.http.RequestIds;
import io.helidon.http.DirectHandler;
import io.helidon.http.HeaderNames;
import io.helidon.http.HeaderValues;
import io.helidon.http.ServerResponseHeaders;
import io.helidon.http.Status;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;

/**
 * Answers the requests the server rejects before routing (a Content-Length beyond the payload limit, a request
 * target too long, a broken request line or header) with the same error envelope, request id and CORS headers as
 * everything else, instead of Helidon's plain text, and counts them in the metrics and the access log, which no
 * filter does for them. A client's malformed request is a 4xx here, never a 500 (which Helidon would log with a
 * stack trace).
 */
final class EnvelopeDirectHandler implements DirectHandler {
    private final CorsFilter cors;
    private final MetricsFilter metrics;

    EnvelopeDirectHandler(CorsFilter cors, MetricsFilter metrics) {
        this.cors = cors;
        this.metrics = metrics;
    }

    @Override
    public TransportResponse handle(
            TransportRequest request,
            EventType eventType,
            Status defaultStatus,
            ServerResponseHeaders responseHeaders,
            String message) {
        CommonErrorCode code = CommonErrorCode.forStatus(defaultStatus.code());
        String text = switch (code) {
            case PAYLOAD_TOO_LARGE -> "request body is too large";
            case URI_TOO_LONG -> "request target is too long";
            case SERVICE_UNAVAILABLE -> "the service is at capacity, retry shortly";
            case INTERNAL_ERROR -> "internal server error";
            default -> "malformed request";
        };
        metrics.countRejected(request.method(), code.status().code(), code);
        AccessLogFilter.logRejected(
                request.method(), request.path(), code.status().code());
        byte[] body = Json.write(ApiResponse.failure(code, text, List.of())).getBytes(StandardCharsets.UTF_8);
        responseHeaders.set(HeaderValues.CONTENT_TYPE_JSON);
        responseHeaders.set(
                RequestContext.REQUEST_ID,
                request.headers()
                        .first(RequestContext.REQUEST_ID)
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

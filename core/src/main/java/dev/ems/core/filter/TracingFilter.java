package dev.ems.core.filter;

import dev.ems.core.http.RequestContext;
import dev.ems.core.tracing.Tracing;
import io.helidon.http.HeaderName;
import io.helidon.http.HeaderNames;
import io.helidon.http.ServerRequestHeaders;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.List;

/**
 * One server span per API request: it continues the caller's trace when the request carries W3C {@code traceparent}
 * (and {@code tracestate}, baggage), else starts one; it is named by method and route template ({@code GET
 * /api/v1/users/{id}}, never the raw path) and carries the status code and the EMS error code. While the request is
 * served the span is current, so outbound calls and SQL spans become its children, and its {@code trace_id} and
 * {@code span_id} are in the logging MDC beside {@code request_id}: every log line of the request carries them.
 * Health, metrics and OpenAPI requests are not traced.
 */
public final class TracingFilter implements Filter {
    public static final String TRACE_ID = "trace_id";
    public static final String SPAN_ID = "span_id";

    private static final TextMapGetter<ServerRequestHeaders> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(ServerRequestHeaders headers) {
            return headers.stream().map(header -> header.name()).toList();
        }

        @Override
        public String get(ServerRequestHeaders headers, String key) {
            if (headers == null) {
                return null;
            }
            HeaderName name = HeaderNames.create(key);
            List<String> values = headers.contains(name) ? headers.get(name).allValues() : List.of();
            return values.isEmpty() ? null : String.join(",", values);
        }
    };

    private final Tracing tracing;

    public TracingFilter(Tracing tracing) {
        this.tracing = tracing;
    }

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String rawPath = req.path().absolute().path();
        if (ObservePaths.isObserve(rawPath)) {
            chain.proceed();
            return;
        }
        String method = RouteLabels.method(req.prologue().method().text());
        Context parent = tracing.extract(Context.root(), req.headers(), HEADERS);
        Span span = tracing.tracer()
                .spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute("http.request.method", method)
                .startSpan();
        SpanContext ids = span.getSpanContext();
        try (Scope scope = span.makeCurrent()) {
            if (ids.isValid()) {
                HelidonMdc.set(TRACE_ID, ids.getTraceId());
                HelidonMdc.set(SPAN_ID, ids.getSpanId());
            }
            chain.proceed();
        } finally {
            HelidonMdc.remove(TRACE_ID);
            HelidonMdc.remove(SPAN_ID);
            RequestContext ctx = RequestContext.of(req).orElse(null);
            String route = RouteLabels.served(rawPath, req, ctx);
            int status = res.status().code();
            span.updateName(method + " " + route);
            span.setAttribute("http.route", route);
            span.setAttribute("http.response.status_code", status);
            if (ctx != null) {
                ctx.errorCode().ifPresent(code -> span.setAttribute("ems.error_code", code.name()));
            }
            if (status >= 500) {
                span.setStatus(StatusCode.ERROR);
            }
            span.end();
        }
    }
}

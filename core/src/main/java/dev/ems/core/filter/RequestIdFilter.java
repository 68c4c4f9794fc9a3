package dev.ems.core.filter;

import dev.ems.core.http.RequestContext;
import dev.ems.core.http.RequestIds;
import io.helidon.logging.common.HelidonMdc;
import io.helidon.webserver.CloseConnectionException;
import io.helidon.webserver.http.Filter;
import io.helidon.webserver.http.FilterChain;
import io.helidon.webserver.http.RoutingRequest;
import io.helidon.webserver.http.RoutingResponse;
import java.util.UUID;

/**
 * Gives every request an id: a sane incoming {@code X-Request-ID} is kept, anything else replaced by a UUID.
 * The id is echoed on every response (error responses too, see {@link RequestContext}) and put into the logging
 * MDC, so every log line written while serving the request carries it. As the first filter it also ends the
 * request's context: once the answer is out, it closes the connection when a later stage said so
 * ({@link RequestContext#closeConnection()}), which Helidon 4.1.7 does not do for a {@code Connection: close} answer.
 */
public final class RequestIdFilter implements Filter {
    public static final String MDC_KEY = "request_id";

    @Override
    public void filter(FilterChain chain, RoutingRequest req, RoutingResponse res) {
        String id = req.headers()
                .first(RequestContext.REQUEST_ID)
                .filter(RequestIds::isSane)
                .orElseGet(() -> UUID.randomUUID().toString());
        RequestContext ctx = RequestContext.start(req, id);
        ctx.keepHeader(res, RequestContext.REQUEST_ID, id);
        HelidonMdc.set(MDC_KEY, id);
        try {
            chain.proceed();
        } finally {
            HelidonMdc.remove(MDC_KEY);
        }
        if (ctx.closesConnection()) {
            // Helidon closes the connection quietly on this exception (the answer was sent already)
            throw new CloseConnectionException("the request's framing or body was broken; closing the connection");
        }
    }
}

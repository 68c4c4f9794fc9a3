package dev.ems.core.http;

import io.helidon.webclient.api.HttpClientRequest;
import io.helidon.webclient.api.HttpClientResponse;
import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;
import java.util.concurrent.ExecutionException;

/** The WebClients a service calls other services with (user-service, audit-log-service, the token endpoint). */
public final class OutboundHttp {
    private OutboundHttp() {}

    /**
     * A WebClient builder whose client keeps a connection cache of its own, closed when the client is. Helidon's shared
     * cache is closed by a JVM shutdown hook as soon as SIGTERM arrives, while the service still serves its drain and
     * its in-flight requests, which then could not call onward ("Connection cache is closed").
     */
    public static WebClientConfig.Builder builder() {
        return WebClient.builder().shareConnectionCache(false);
    }

    /**
     * Sends the request and reads the answer's head. A call that reuses a pooled connection just as Helidon's monitor of
     * that idle connection gives up on it (Helidon 4.1.7: after the client's read timeout of idleness; reported as
     * helidon-io/helidon#10861) fails although the peer is fine, as a bare RuntimeException "Exception in socket
     * monitor thread."; it comes out as {@link StaleConnection}.
     */
    public static HttpClientResponse request(HttpClientRequest request) {
        try {
            return request.request();
        } catch (RuntimeException e) {
            if (e.getClass() == RuntimeException.class && e.getCause() instanceof ExecutionException) {
                throw new StaleConnection(e);
            }
            throw e;
        }
    }

    /**
     * A call failed on a pooled connection Helidon had given up on, not because of the peer. The request may have been
     * sent, so only an idempotent call may be repeated (on a new connection: the failed one is closed).
     */
    public static final class StaleConnection extends RuntimeException {
        StaleConnection(RuntimeException cause) {
            super("the pooled connection was given up on as it was reused", cause);
        }
    }
}

package dev.ems.core.http;

import io.helidon.webclient.api.WebClient;
import io.helidon.webclient.api.WebClientConfig;

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
}

package dev.ems.user;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.ApiCalls;
import dev.ems.testing.TestIssuer;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import java.util.Map;

/**
 * One replica of user-service on a given database, wired as Main wires it, its audit relay delivering to {@code
 * auditUrl} in batches of two, polling every 20 ms.
 */
record UserReplica(ServiceRuntime runtime, WebServer server, Http1Client client) implements AutoCloseable {
    static UserReplica start(String database, String auditUrl) {
        ServiceRuntime runtime = UserTestSupport.runtime(
                database,
                Map.of(
                        "user.service.audit.url", auditUrl,
                        "user.service.audit.batch-size", "2",
                        "user.service.audit.poll-interval", "20ms",
                        "user.service.audit.max-backoff", "100ms"));
        runtime.startAuditRelay();
        WebServerConfig.Builder builder = WebServer.builder().port(0).host("localhost");
        UserTestSupport.setUp(builder, runtime);
        WebServer server = builder.build().start();
        return new UserReplica(
                runtime, server, ApiCalls.client(server.port(), TestIssuer.bearer(TestIssuer.adminToken())));
    }

    UserTestSupport.Api api() {
        return new UserTestSupport.Api(client);
    }

    @Override
    public void close() {
        client.closeResource();
        server.stop();
        runtime.close();
    }
}

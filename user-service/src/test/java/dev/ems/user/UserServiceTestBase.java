package dev.ems.user;

import dev.ems.core.server.ServiceRuntime;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Helidon test lifecycle every HTTP test class of user-service shares: the service on a fresh database (or a given
 * one), closed after the class, and the client to call it. A test class extends this and states only its settings, in
 * a static {@code @SetUpServer} method of one line ({@code start(server)}, {@code start(server, Map.of(...))}).
 * <p>
 * Helidon calls {@code @SetUpServer} methods statically with nothing but the server builder, so each class declares
 * its own; it finds them, and the {@code @AfterStop} below, along the class hierarchy, and {@code @ServerTest} is
 * inherited. The running class's service is held statically here, which is sound because test classes run one at a
 * time.
 */
@ServerTest
abstract class UserServiceTestBase {
    private static ServiceRuntime runtime;

    /** The client of the running user-service, and request helpers on it. */
    Http1Client client;

    UserTestSupport.Api api;
    /** user-service's port, for requests the Helidon client cannot send (see {@code RawHttp}). */
    int port;

    /** Sets up {@code server} (from {@code @SetUpServer}) as user-service with {@code settings} over the defaults. */
    static void start(WebServerConfig.Builder server, Map<String, String> settings) {
        setUp(server, UserTestSupport.runtime(settings));
    }

    static void start(WebServerConfig.Builder server) {
        start(server, Map.of());
    }

    /** {@link #start(WebServerConfig.Builder, Map)} on {@code database} (from {@code TestPostgres.createDatabase()}). */
    static void start(WebServerConfig.Builder server, String database, Map<String, String> settings) {
        setUp(server, UserTestSupport.runtime(database, settings));
    }

    private static void setUp(WebServerConfig.Builder server, ServiceRuntime created) {
        runtime = created;
        created.setup(server, routing -> Main.routing(routing, created.db()));
    }

    @BeforeEach
    void connect(Http1Client client, WebServer server) {
        this.client = client;
        this.api = new UserTestSupport.Api(client);
        this.port = server.port();
    }

    /** Safe when the start failed half way. */
    @AfterStop
    public static void stop() {
        ServiceRuntime stopping = runtime;
        runtime = null;
        if (stopping != null) {
            stopping.close();
        }
    }
}

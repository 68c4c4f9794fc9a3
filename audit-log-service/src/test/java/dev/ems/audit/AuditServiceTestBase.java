package dev.ems.audit;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.testing.TestPostgres;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Helidon test lifecycle every HTTP test class of audit-log-service shares: the service on a fresh database, closed
 * after the class, and the client to call it. A test class extends this and states only its settings, in a static
 * {@code @SetUpServer} method of one line ({@code start(server)}, {@code start(server, Map.of(...))}).
 * <p>
 * Helidon calls {@code @SetUpServer} methods statically with nothing but the server builder, so each class declares
 * its own; it finds them, and the {@code @AfterStop} below, along the class hierarchy, and {@code @ServerTest} is
 * inherited. The running class's service is held statically here, which is sound because test classes run one at a
 * time.
 */
@ServerTest
abstract class AuditServiceTestBase {
    private static ServiceRuntime runtime;
    private static String database;
    private static AuditService service;

    /** The client of the running audit-log-service, and request helpers on it. */
    Http1Client client;

    AuditTestSupport.Api api;
    /** audit-log-service's port, for requests the Helidon client cannot send (see {@code RawHttp}). */
    int port;
    /** This class's database, to reach behind the API ({@code AuditTestSupport.sql}, {@code scalar}). */
    String db;
    /** The service behind the API, for what the API does not offer (the retention purge). */
    AuditService audit;

    /**
     * Sets up {@code server} (from {@code @SetUpServer}) as audit-log-service on a fresh database with
     * {@code settings} over {@link AuditTestSupport#config}'s defaults.
     */
    static void start(WebServerConfig.Builder server, Map<String, String> settings) {
        database = TestPostgres.createDatabase();
        runtime = ServiceRuntime.create(Main.SERVICE, AuditTestSupport.config(database, settings));
        AuditService created = Main.auditService(runtime, Main.hashChain(runtime.config()));
        service = created;
        runtime.setup(server, routing -> Main.routing(routing, created));
    }

    static void start(WebServerConfig.Builder server) {
        start(server, Map.of());
    }

    @BeforeEach
    void connect(Http1Client client, WebServer server) {
        this.client = client;
        this.api = new AuditTestSupport.Api(client);
        this.port = server.port();
        this.db = database;
        this.audit = service;
    }

    /** Safe when the start failed half way. */
    @AfterStop
    public static void stop() {
        ServiceRuntime stopping = runtime;
        runtime = null;
        database = null;
        service = null;
        if (stopping != null) {
            stopping.close();
        }
    }
}

package dev.ems.audit;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.localissuer.LocalIssuer;
import dev.ems.testing.TestClients;
import dev.ems.testing.TestIssuer;
import dev.ems.testing.TestPostgres;
import io.helidon.webclient.http1.Http1Client;
import io.helidon.webserver.WebServer;
import io.helidon.webserver.WebServerConfig;
import io.helidon.webserver.testing.junit5.AfterStop;
import io.helidon.webserver.testing.junit5.ServerTest;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * The Helidon test lifecycle every HTTP test class of audit-log-service shares: the service on a fresh database,
 * trusting the tests' issuer (or the class's own), closed after the class, and the clients to call it: as the tests'
 * default caller, an admin ({@link #api}), or as any other ({@link #api(String)}, {@link #anonymousApi()}). A test class
 * extends this and states only its settings, in a static {@code @SetUpServer} method of one line ({@code
 * start(server)}, {@code start(server, Map.of(...))}).
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
    private static LocalIssuer trusted;
    private TestClients clients;

    /**
     * A client of the running audit-log-service acting as the tests' default caller, an admin of {@link #issuer} (it
     * sends {@link #bearer} with every request), and request helpers on it.
     */
    Http1Client client;

    AuditTestSupport.Api api;
    /**
     * Request helpers acting as user-service, the service that {@code AuditTestSupport.entry()}'s entries name: its
     * service token, the only kind of caller that appends (an admin reads); see {@link #appender(String)}.
     */
    AuditTestSupport.Api appender;
    /** audit-log-service's port, for requests the Helidon client cannot send (see {@code RawHttp}). */
    int port;
    /** The default caller's {@code Authorization} header value, for raw requests ({@code RawHttp}). */
    String bearer;
    /** The issuer the running service trusts: the tests' shared one, unless the class started its own. */
    LocalIssuer issuer;
    /** This class's database, to reach behind the API ({@code AuditTestSupport.sql}, {@code scalar}). */
    String db;
    /** The service behind the API, for what the API does not offer (the retention purge). */
    AuditService audit;

    /**
     * Sets up {@code server} (from {@code @SetUpServer}) as audit-log-service on a fresh database with
     * {@code settings} over {@link AuditTestSupport#config}'s defaults.
     */
    static void start(WebServerConfig.Builder server, Map<String, String> settings) {
        start(server, TestIssuer.shared(), settings);
    }

    /**
     * {@link #start(WebServerConfig.Builder, Map)} with the service trusting {@code own}, the class's own issuer
     * ({@code TestIssuer.start()}: for a class that changes its issuer), which is closed with the class.
     */
    static void start(WebServerConfig.Builder server, LocalIssuer own, Map<String, String> settings) {
        trusted = own;
        Map<String, String> values = new HashMap<>(TestIssuer.settings(own, Main.SERVICE));
        values.putAll(settings);
        database = TestPostgres.createDatabase();
        runtime = ServiceRuntime.create(Main.SERVICE, AuditTestSupport.config(database, values));
        service = AuditTestSupport.setUp(server, runtime);
    }

    static void start(WebServerConfig.Builder server) {
        start(server, Map.of());
    }

    @BeforeEach
    void connect(WebServer server) {
        this.port = server.port();
        this.issuer = trusted;
        this.bearer = TestIssuer.bearer(TestIssuer.adminToken(issuer));
        this.clients = new TestClients(port);
        this.client = clients.as(bearer);
        this.api = new AuditTestSupport.Api(client);
        this.appender = appender("user-service");
        this.db = database;
        this.audit = service;
    }

    /**
     * Request helpers acting as another caller: their client sends {@code authorization} (an {@code Authorization}
     * header value, {@code TestIssuer.bearer(TestIssuer.serviceToken("user-service"))}) with every request; closed
     * after the test.
     */
    AuditTestSupport.Api api(String authorization) {
        return new AuditTestSupport.Api(clients.as(authorization));
    }

    /**
     * Request helpers acting as the service {@code service} (a token like its client credentials give it: role service,
     * identity {@code service}), which appends the entries that name it as their service; closed after the test.
     */
    AuditTestSupport.Api appender(String service) {
        return api(TestIssuer.bearer(TestIssuer.serviceToken(issuer, service)));
    }

    /** Request helpers sending no {@code Authorization} at all, an anonymous caller; closed after the test. */
    AuditTestSupport.Api anonymousApi() {
        return new AuditTestSupport.Api(clients.anonymous());
    }

    /** The default caller's {@code Authorization} header line, for the head of a raw request ({@code RawHttp}). */
    String authorization() {
        return "Authorization: " + bearer + "\r\n";
    }

    @AfterEach
    void disconnect() {
        clients.close();
    }

    /** Safe when the start failed half way. */
    @AfterStop
    public static void stop() {
        ServiceRuntime stopping = runtime;
        runtime = null;
        database = null;
        service = null;
        LocalIssuer own = trusted;
        trusted = null;
        try {
            if (stopping != null) {
                stopping.close();
            }
        } finally {
            if (own != null && own != TestIssuer.shared()) {
                own.close();
            }
        }
    }
}

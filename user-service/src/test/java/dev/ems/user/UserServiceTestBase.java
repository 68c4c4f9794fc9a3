package dev.ems.user;

import dev.ems.core.server.ServiceRuntime;
import dev.ems.localissuer.LocalIssuer;
import dev.ems.testing.ApiCalls;
import dev.ems.testing.TestClients;
import dev.ems.testing.TestIssuer;
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
 * The Helidon test lifecycle every HTTP test class of user-service shares: the service on a fresh database (or a given
 * one), trusting the tests' issuer (or the class's own), closed after the class, and the clients to call it: as the
 * tests' default caller, an admin ({@link #api}), or as any other ({@link #api(String)}, {@link #anonymousApi()}). A
 * test class extends this and states only its settings, in a static {@code @SetUpServer} method of one line
 * ({@code start(server)}, {@code start(server, Map.of(...))}).
 * <p>
 * Helidon calls {@code @SetUpServer} methods statically with nothing but the server builder, so each class declares
 * its own; it finds them, and the {@code @AfterStop} below, along the class hierarchy, and {@code @ServerTest} is
 * inherited. The running class's service (and issuer) is held statically here, which is sound because test classes
 * run one at a time.
 */
@ServerTest
abstract class UserServiceTestBase {
    private static ServiceRuntime runtime;
    private static LocalIssuer trusted;
    private static Http1Client seeding;
    private TestClients clients;

    /**
     * A client of the running user-service acting as the tests' default caller, an admin of {@link #issuer} (it sends
     * {@link #bearer} with every request), and request helpers on it.
     */
    Http1Client client;

    UserTestSupport.Api api;
    /** user-service's port, for requests the Helidon client cannot send (see {@code RawHttp}). */
    int port;
    /** The default caller's {@code Authorization} header value, for raw requests ({@code RawHttp}). */
    String bearer;
    /** The issuer the running service trusts: the tests' shared one, unless the class started its own. */
    LocalIssuer issuer;

    /** Sets up {@code server} (from {@code @SetUpServer}) as user-service with {@code settings} over the defaults. */
    static void start(WebServerConfig.Builder server, Map<String, String> settings) {
        start(server, TestIssuer.shared(), settings);
    }

    static void start(WebServerConfig.Builder server) {
        start(server, Map.of());
    }

    /**
     * {@link #start(WebServerConfig.Builder, Map)} with the service trusting {@code own}, the class's own issuer
     * ({@code TestIssuer.start()}: for a class that changes its issuer), which is closed with the class.
     */
    static void start(WebServerConfig.Builder server, LocalIssuer own, Map<String, String> settings) {
        trusted = own;
        Map<String, String> values = new HashMap<>(TestIssuer.settings(own, Main.SERVICE));
        values.putAll(settings);
        setUp(server, UserTestSupport.runtime(values));
    }

    /** {@link #start(WebServerConfig.Builder, Map)} on {@code database} (from {@code TestPostgres.createDatabase()}). */
    static void start(WebServerConfig.Builder server, String database, Map<String, String> settings) {
        trusted = TestIssuer.shared();
        setUp(server, UserTestSupport.runtime(database, settings));
    }

    private static void setUp(WebServerConfig.Builder server, ServiceRuntime created) {
        runtime = created;
        UserTestSupport.setUp(server, created);
    }

    /**
     * Request helpers acting as the default caller for a static {@code @BeforeAll} that seeds the class's data (the
     * instance's {@link #api} does not exist yet); their client is closed with the class.
     */
    static UserTestSupport.Api seedingApi(WebServer server) {
        seeding = ApiCalls.client(server.port(), TestIssuer.bearer(TestIssuer.adminToken(trusted)));
        return new UserTestSupport.Api(seeding);
    }

    @BeforeEach
    void connect(WebServer server) {
        this.port = server.port();
        this.issuer = trusted;
        this.bearer = TestIssuer.bearer(TestIssuer.adminToken(issuer));
        this.clients = new TestClients(port);
        this.client = clients.as(bearer);
        this.api = new UserTestSupport.Api(client);
    }

    /**
     * Request helpers acting as another caller: their client sends {@code authorization} (an {@code Authorization}
     * header value, {@code TestIssuer.bearer(TestIssuer.token("alice", "user"))}) with every request; closed after
     * the test.
     */
    UserTestSupport.Api api(String authorization) {
        return new UserTestSupport.Api(clients.as(authorization));
    }

    /** Request helpers sending no {@code Authorization} at all, an anonymous caller; closed after the test. */
    UserTestSupport.Api anonymousApi() {
        return new UserTestSupport.Api(clients.anonymous());
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
        if (seeding != null) {
            seeding.closeResource();
            seeding = null;
        }
        ServiceRuntime stopping = runtime;
        runtime = null;
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
